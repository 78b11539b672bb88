package io.avisstream.avis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.avisstream.avis.api.HttpAuthConfig;
import io.avisstream.avis.engine.EngineConfig;
import io.avisstream.avis.events.EventsConfig;
import io.avisstream.avis.topology.InferenceConfig;
import io.avisstream.avis.topology.JoinConfig;
import io.avisstream.avis.topology.runtime.BrokerConfig;
import io.avisstream.avis.topology.runtime.KafkaClusterConfig;
import io.avisstream.avis.topology.runtime.StreamsRuntimeConfig;
import io.avisstream.avis.tracking.TrackingConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/** Every key of the service's config mappings has a row in README.md's configuration table, and vice versa. */
class ReadmeConfigTableTest {
    /** The mappings of the streaming service; other capabilities document their keys in their own section. */
    static final List<Class<?>> MAPPINGS = List.of(KafkaClusterConfig.class, BrokerConfig.class,
            StreamsRuntimeConfig.class, JoinConfig.class, InferenceConfig.class, TrackingConfig.class, EventsConfig.class,
            EngineConfig.class, HttpAuthConfig.class, io.avisstream.avis.dashboard.DashboardConfig.class);
    private static final Pattern ROW = Pattern.compile("^\\| `((?:avis\\.(?:broker|topology|join|inference|tracking|events|engine"
            + "|http|dashboard)\\.[a-z0-9.-]+)|kafka\\.[a-z0-9.-]+)` \\|", Pattern.MULTILINE);

    @Test
    void shouldDocumentEveryConfigKeyInTheReadme() throws IOException {
        // Given
        Set<String> keys = new TreeSet<>();
        for (Class<?> mapping : MAPPINGS) {
            collect(mapping.getAnnotation(ConfigMapping.class).prefix(), mapping, keys);
        }

        // When
        Set<String> documented = new TreeSet<>();
        String readme = Files.readString(Path.of("README.md"));
        Matcher matcher = ROW.matcher(readme.substring(readme.indexOf("## Configuration")));
        while (matcher.find()) {
            documented.add(matcher.group(1));
        }

        // Then
        assertThat(documented).isEqualTo(keys);
    }

    /** Adds the keys of one mapping interface; a nested group interface (e.g. {@code batch()}) adds its own keys. */
    private static void collect(String prefix, Class<?> mapping, Set<String> keys) {
        for (Method m : mapping.getDeclaredMethods()) {
            WithName name = m.getAnnotation(WithName.class);
            String key = prefix + "." + (name != null ? name.value() : kebab(m.getName()));
            if (m.getReturnType().isInterface() && m.getReturnType().getEnclosingClass() == mapping) {
                collect(key, m.getReturnType(), keys);
            } else {
                keys.add(key);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }
}
