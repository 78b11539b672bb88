package io.avisstream.avis.engine;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One loaded graph of the contract ({@code audio}, {@code frame}, {@code video}, {@code masks}) on one backend.
 * Inputs and outputs are bound by the names the contract declares, never by position. Thread-safe.
 */
public interface GraphSession extends AutoCloseable {

    /** The contract name of the graph, e.g. {@code frame}. */
    String graph();

    List<String> inputNames();

    List<String> outputNames();

    /** Runs the graph; returns exactly the requested outputs, copied out of native memory. */
    Map<String, HostTensor> run(Map<String, HostTensor> inputs, Set<String> outputs);

    /** Idempotent. */
    @Override
    void close();
}
