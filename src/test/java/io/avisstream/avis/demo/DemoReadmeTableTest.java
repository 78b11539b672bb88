package io.avisstream.avis.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.ConfigMapping;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every {@code avis.demo.*} key has a row in README.md's demo table, and every row is a real key. */
class DemoReadmeTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(avis\\.demo\\.[a-z0-9.-]+)` \\|", Pattern.MULTILINE);

    @Test
    void shouldDocumentEveryDemoKeyInTheReadme() throws IOException {
        // Given
        String prefix = DemoConfig.class.getAnnotation(ConfigMapping.class).prefix();
        Set<String> keys = new TreeSet<>();
        for (Method method : DemoConfig.class.getDeclaredMethods()) {
            keys.add(prefix + "." + method.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT));
        }

        // When
        String readme = Files.readString(Path.of("README.md"));
        Matcher matcher = ROW.matcher(readme.substring(readme.indexOf("## Demo and ingest")));
        Set<String> documented = new TreeSet<>();
        while (matcher.find()) {
            documented.add(matcher.group(1));
        }

        // Then
        assertThat(documented).isEqualTo(keys);
    }
}
