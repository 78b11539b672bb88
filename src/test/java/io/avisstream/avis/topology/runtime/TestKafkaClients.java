package io.avisstream.avis.topology.runtime;

import java.util.HashMap;
import java.util.Map;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** {@link KafkaClientProperties} from plain properties, read the way Quarkus reads them (expressions included). */
public final class TestKafkaClients {
    private TestKafkaClients() {
    }

    public static KafkaClientProperties of(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().withMapping(KafkaClusterConfig.class)
                .withSources(new PropertiesConfigSource(properties, "test", 500)).build();
        Map<String, String> passThrough = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(KafkaClientProperties.PASS_THROUGH_PREFIX)) {
                passThrough.put(name.substring(KafkaClientProperties.PASS_THROUGH_PREFIX.length()),
                        config.getValue(name, String.class));
            }
        }
        return new KafkaClientProperties(config.getConfigMapping(KafkaClusterConfig.class), passThrough);
    }
}
