package io.avisstream.avis.engine;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A graph on ONNX Runtime. Inputs go in through per-thread direct buffers that are reused between calls (ORT
 * reads them without a copy); outputs are copied out before the native result is closed.
 */
final class OrtGraphSession implements GraphSession {

    private final String graph;
    private final OrtEnvironment environment;
    private final ResourceLedger ledger;
    private final List<String> inputNames;
    private final List<String> outputNames;
    private final Map<String, long[]> declaredInputShapes = new HashMap<>();
    private final ThreadLocal<Map<String, FloatBuffer>> scratch = ThreadLocal.withInitial(HashMap::new);
    private volatile OrtSession session;
    // A run holds the read lock, close the write lock: closing the native session under a running inference (a stream
    // thread still busy when shutdown disposes the engine) crashes the JVM in native code instead of failing a call.
    private final ReentrantReadWriteLock inUse = new ReentrantReadWriteLock();
    /** Told once the native session is closed (the backend releases the environment only after every session). */
    private final Runnable onClosed;

    OrtGraphSession(String graph, Path file, OrtEnvironment environment, OrtSession.SessionOptions options,
            List<String> requiredInputs, List<String> requiredOutputs, ResourceLedger ledger, Runnable onClosed) {
        this.graph = graph;
        this.onClosed = onClosed;
        this.environment = environment;
        this.ledger = ledger;
        try {
            this.session = environment.createSession(file.toString(), options);
        } catch (OrtException e) {
            onClosed.run();
            throw new EngineException("graph '" + graph + "': ONNX Runtime cannot load " + file + ": " + e.getMessage(),
                    e);
        }
        ledger.opened("ort-session");
        try {
            inputNames = List.copyOf(session.getInputNames());
            outputNames = List.copyOf(session.getOutputNames());
            for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
                if (e.getValue().getInfo() instanceof TensorInfo info) {
                    declaredInputShapes.put(e.getKey(), info.getShape());
                }
            }
            checkNames("inputs", inputNames, requiredInputs, file);
            checkNames("outputs", outputNames, requiredOutputs, file);
        } catch (OrtException | RuntimeException e) {
            close();
            throw e instanceof EngineException ee ? ee
                    : new EngineException("graph '" + graph + "': cannot read its signature: " + e.getMessage(), e);
        }
    }

    private void checkNames(String what, List<String> declared, List<String> required, Path file) {
        List<String> missing = new ArrayList<>(required);
        missing.removeAll(declared);
        if (!missing.isEmpty()) {
            throw new EngineException("graph '" + graph + "' (" + file + ") declares " + what + " " + declared
                    + " but the contract (engines/CONTRACT.md) needs " + required + "; missing " + missing);
        }
    }

    @Override
    public String graph() {
        return graph;
    }

    @Override
    public List<String> inputNames() {
        return inputNames;
    }

    @Override
    public List<String> outputNames() {
        return outputNames;
    }

    /** Declared shape of an input (-1 for dynamic axes), for dimension checks at load. */
    long[] declaredInputShape(String name) {
        return declaredInputShapes.get(name);
    }

    OrtSession session() {
        return session;
    }

    @Override
    public Map<String, HostTensor> run(Map<String, HostTensor> inputs, Set<String> outputs) {
        inUse.readLock().lock();
        try {
            return runOpen(inputs, outputs);
        } finally {
            inUse.readLock().unlock();
        }
    }

    private Map<String, HostTensor> runOpen(Map<String, HostTensor> inputs, Set<String> outputs) {
        OrtSession current = session;
        if (current == null) {
            throw new EngineException("graph '" + graph + "' is closed");
        }
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, HostTensor> input : inputs.entrySet()) {
                tensors.put(input.getKey(), tensor(input.getKey(), input.getValue()));
            }
            Map<String, HostTensor> result = new LinkedHashMap<>();
            try (OrtSession.Result out = current.run(tensors, outputs)) {
                ledger.opened("ort-result");
                try {
                    for (String name : outputs) {
                        OnnxValue value = out.get(name).orElseThrow(() -> new EngineException(
                                "graph '" + graph + "' returned no output '" + name + "'"));
                        result.put(name, copy((OnnxTensor) value));
                    }
                } finally {
                    ledger.closed("ort-result");
                }
            }
            return result;
        } catch (OrtException e) {
            throw new EngineException("graph '" + graph + "' failed on inputs " + describe(inputs) + ": "
                    + e.getMessage(), e);
        } finally {
            for (OnnxTensor t : tensors.values()) {
                t.close();
                ledger.closed("ort-tensor");
            }
        }
    }

    private OnnxTensor tensor(String name, HostTensor host) throws OrtException {
        FloatBuffer buffer = scratch.get().get(name);
        if (buffer == null || buffer.capacity() < host.data().length) {
            buffer = ByteBuffer.allocateDirect(Math.max(host.data().length, 1) * Float.BYTES)
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
            scratch.get().put(name, buffer);
        }
        buffer.clear();
        buffer.put(host.data());
        buffer.flip();
        OnnxTensor tensor = OnnxTensor.createTensor(environment, buffer, host.shape());
        ledger.opened("ort-tensor");
        return tensor;
    }

    private static HostTensor copy(OnnxTensor tensor) {
        long[] shape = tensor.getInfo().getShape();
        FloatBuffer view = tensor.getFloatBuffer();
        float[] data = new float[view.remaining()];
        view.get(data);
        return new HostTensor(shape, data);
    }

    private static String describe(Map<String, HostTensor> inputs) {
        Map<String, String> shapes = new LinkedHashMap<>();
        inputs.forEach((k, v) -> shapes.put(k, Arrays.toString(v.shape())));
        return shapes.toString();
    }

    @Override
    public synchronized void close() {
        OrtSession current = session;
        if (current == null) {
            return;
        }
        session = null;
        boolean idle;
        try {
            idle = inUse.writeLock().tryLock(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            idle = false;
        }
        if (!idle) {
            // Still running after 30 s: leave the native session to the process exit rather than free it under a run.
            return;
        }
        try {
            current.close();
        } catch (OrtException e) {
            throw new EngineException("graph '" + graph + "': closing the session failed", e);
        } finally {
            inUse.writeLock().unlock();
            ledger.closed("ort-session");
            onClosed.run();
        }
    }
}
