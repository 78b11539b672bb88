package io.avisstream.avis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** House rule: only the {@code topology} and {@code api} packages import Kafka; the others stay pure. */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/io/avisstream/avis");

    @Test
    void shouldImportKafkaOnlyFromTopologyAndApi() throws IOException {
        // Given every main source file outside topology/ and api/
        List<String> violations;
        try (Stream<Path> files = Files.walk(MAIN)) {
            violations = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !MAIN.relativize(p).startsWith("topology") && !MAIN.relativize(p).startsWith("api"))
                    .flatMap(ArchitectureTest::kafkaImports).toList();
        }

        // Then
        assertThat(violations).isEmpty();
    }

    private static Stream<String> kafkaImports(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .filter(l -> l.startsWith("import org.apache.kafka.") || l.startsWith("import kafka."))
                    .map(l -> MAIN.relativize(file) + ": " + l);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
