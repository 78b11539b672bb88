package io.avisstream.avis.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class RoutineKafkaWarningsTest {

    private static ExtLogRecord warn(String format, Object... params) {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, format, ExtLogRecord.FormatStyle.MESSAGE_FORMAT,
                RoutineKafkaWarningsTest.class.getName());
        record.setParameters(params);
        return record;
    }

    @Test
    void shouldDropTheRoutineWarningsOfANormalRunAndKeepEverythingElse() {
        RoutineKafkaWarnings filter = new RoutineKafkaWarnings();

        assertThat(filter.isLoggable(warn("[Producer clientId=x] Got error produce response with correlation id 26 on"
                + " topic-partition t-3, retrying (2147483646 attempts left). Error: {0}", "CONCURRENT_TRANSACTIONS")))
                .isFalse();
        assertThat(filter.isLoggable(warn("Using an OS temp directory in the state.dir property can cause failures."
                + " Resolved state.dir: [{0}]", "/tmp/avis-kafka-123/streams-state"))).isFalse();
        assertThat(filter.isLoggable(warn("Using an OS temp directory in the state.dir property can cause failures."
                + " Resolved state.dir: [{0}]", "/tmp/kafka-streams"))).isTrue();
        assertThat(filter.isLoggable(warn("[NodeToControllerChannelManager id=1] Attempting to close NetworkClient that"
                + " has already been closed."))).isFalse();
        assertThat(filter.isLoggable(warn("Connection to node -1 ({0}) could not be established.", "h:9092"))).isTrue();
        ExtLogRecord error = warn("Error: CONCURRENT_TRANSACTIONS");
        error.setLevel(Level.SEVERE);
        assertThat(filter.isLoggable(error)).isTrue();
    }
}
