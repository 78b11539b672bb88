package io.avisstream.avis.topology.runtime;

import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops the WARN lines every normal run of the in-process broker and Kafka Streams prints, which say nothing is
 * wrong (installed as {@code quarkus.log.console.filter}):
 * <ul>
 * <li>"Performing controller activation. The metadata log appears to be empty": a fresh KRaft log, which a
 * temporary in-process broker always has;</li>
 * <li>"Using an OS temp directory in the state.dir property" when the state directory is inside the in-process
 * broker's temporary data directory ({@code avis-kafka-*}): state that must not outlive that broker, by design
 * (README, {@code avis.topology.state-dir}); with an external cluster the warning stays;</li>
 * <li>"Attempting to close NetworkClient that has already been closed": the broker's controller channel closed
 * twice during its own shutdown;</li>
 * <li>"Error: CONCURRENT_TRANSACTIONS" retries: a transactional producer whose previous commit is still being
 * completed by the coordinator; the client retries and succeeds, exactly-once is unaffected.</li>
 * </ul>
 * Anything else, including every ERROR, passes.
 */
@LoggingFilter(name = "avis-routine-kafka-warnings")
public final class RoutineKafkaWarnings implements Filter {

    private static final List<String> ROUTINE = List.of(
            "Performing controller activation. The metadata log appears to be empty",
            "Attempting to close NetworkClient that has already been closed",
            "Error: CONCURRENT_TRANSACTIONS");

    @Override
    public boolean isLoggable(LogRecord record) {
        if (record.getLevel() != Level.WARNING && !"WARN".equals(record.getLevel().getName())) {
            return true;
        }
        // Kafka logs through SLF4J with {} placeholders: match on the message as printed.
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (message == null) {
            return true;
        }
        if (message.contains("Using an OS temp directory in the state.dir property")) {
            return !message.contains("avis-kafka-");
        }
        return ROUTINE.stream().noneMatch(message::contains);
    }
}
