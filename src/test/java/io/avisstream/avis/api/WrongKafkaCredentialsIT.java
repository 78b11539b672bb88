package io.avisstream.avis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.avisstream.avis.topology.runtime.KafkaAccessException;
import io.avisstream.avis.topology.runtime.SecuredKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;

/**
 * {@code serve} against a SASL_SSL broker with a wrong password: one error line naming the failure (never the
 * password), exit status 77, no retry loop.
 */
@QuarkusMainTest
@TestProfile(WrongKafkaCredentialsIT.WrongPassword.class)
class WrongKafkaCredentialsIT {
    static final String WRONG = "wrong-password-0815";

    @Test
    @Launch(value = "serve", exitCode = KafkaAccessException.EXIT_CODE)
    void shouldExitWithOneClearLineWhenTheBrokerRefusesTheCredentials(LaunchResult result) {
        // Then
        List<String> lines = result.getOutputStream().stream().filter(l -> l.contains("Kafka authentication failed")).toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).contains("security.protocol=SASL_SSL sasl.mechanism=SCRAM-SHA-512");
        assertThat(result.getOutput() + result.getErrorOutput()).doesNotContain(WRONG);
    }

    public static class WrongPassword implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Broker.class));
        }
    }

    public static class Broker implements QuarkusTestResourceLifecycleManager {
        private SecuredKafka kafka;

        @Override
        public Map<String, String> start() {
            kafka = SecuredKafka.start(false);
            kafka.createUser("avis", SecuredKafka.secret());
            Map<String, String> config = new HashMap<>(kafka.serviceConfig("avis", WRONG));
            config.put("avis.topology.state-dir", kafka.dir().resolve("streams-state").toString());
            return config;
        }

        @Override
        public void stop() {
            if (kafka != null) {
                kafka.close();
            }
        }
    }
}
