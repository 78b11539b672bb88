package io.avisstream.avis.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No Docker engine here, so the images are checked by reading: every build-context path they copy exists, they run
 * {@code quarkus-run.jar}, and every {@code AVIS_*} / {@code KAFKA_*} variable they set is a configuration key the
 * application reads (a renamed key would otherwise be silently ignored inside the image).
 */
class DockerfilesTest {

    private static final Pattern COPY = Pattern.compile("^COPY (?!--from)(\\S+) ", Pattern.MULTILINE);
    private static final Pattern ENV_NAME = Pattern.compile("\\b((?:AVIS|KAFKA)_[A-Z0-9_]+)=");

    @ParameterizedTest
    @ValueSource(strings = { "docker/Dockerfile", "docker/Dockerfile.gpu" })
    void shouldCopyOnlyExistingPathsAndRunTheQuarkusJar(String dockerfile) throws Exception {
        // Given
        String text = Files.readString(Path.of(dockerfile));
        List<String> copied = new ArrayList<>();
        Matcher matcher = COPY.matcher(text);
        while (matcher.find()) {
            copied.add(matcher.group(1));
        }

        // Then
        assertThat(copied).contains("pom.xml", ".mvn/", "src/", "topology/", "engines/models/");
        assertThat(copied).allSatisfy(path -> assertThat(Path.of(path)).exists());
        assertThat(text).contains("ENTRYPOINT [\"java\", \"-jar\", \"/deployments/quarkus-run.jar\"]");
        assertThat(Path.of(dockerfile + ".dockerignore")).exists();
    }

    @ParameterizedTest
    @ValueSource(strings = { "docker/Dockerfile", "docker/Dockerfile.gpu" })
    void shouldOnlySetEnvironmentVariablesThatMapToConfigurationKeys(String dockerfile) throws Exception {
        // Given
        Set<String> known = new TreeSet<>();
        known.addAll(K8sManifestsTest.applicationPropertiesKeys());
        known.addAll(K8sManifestsTest.configMappingKeys());
        Set<String> knownEnv = new TreeSet<>();
        known.forEach(k -> knownEnv.add(k.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT)));
        Set<String> set = new TreeSet<>();
        Matcher matcher = ENV_NAME.matcher(Files.readString(Path.of(dockerfile)));
        while (matcher.find()) {
            set.add(matcher.group(1));
        }

        // Then
        assertThat(set).isNotEmpty().allSatisfy(name -> assertThat(knownEnv)
                .as("%s sets %s, which maps to no configuration key", dockerfile, name).contains(name));
    }

    @ParameterizedTest
    @ValueSource(strings = { "docker/Dockerfile", "docker/Dockerfile.gpu" })
    void shouldTakeBaseImagesAsBuildArgumentsAndRunAsANonRootUserWithAHealthCheck(String dockerfile)
            throws Exception {
        // Given
        String text = Files.readString(Path.of(dockerfile));

        // Then: bases are ARGs declared before the first FROM, with the public images as defaults
        int firstFrom = text.indexOf("\nFROM ");
        assertThat(text.substring(0, firstFrom)).containsPattern("(?m)^ARG BUILD_IMAGE=maven:3\\.9-eclipse-temurin-17$")
                .containsPattern("(?m)^ARG RUNTIME_IMAGE=\\S+$");
        assertThat(text).containsPattern("(?m)^FROM \\$\\{BUILD_IMAGE\\} AS build$")
                .containsPattern("(?m)^FROM \\$\\{RUNTIME_IMAGE\\}$")
                .doesNotContainPattern("(?m)^FROM (?!\\$\\{)");
        // the last USER is numeric and not root (k8s runAsNonRoot needs a numeric one), 185 as in the StatefulSet
        Matcher user = Pattern.compile("(?m)^USER (\\S+)$").matcher(text);
        String last = null;
        while (user.find()) {
            last = user.group(1);
        }
        assertThat(last).isEqualTo("185");
        assertThat(Files.readString(Path.of("k8s/base/statefulset.yaml"))).contains("runAsUser: 185");
        // a HEALTHCHECK on the readiness endpoint through the script the image copies in
        assertThat(text).containsPattern("(?m)^HEALTHCHECK .*CMD \\[\"/usr/local/bin/avis-healthcheck\"\\]$")
                .contains("COPY docker/healthcheck.sh /usr/local/bin/avis-healthcheck");
        assertThat(Files.readString(Path.of("docker/healthcheck.sh"))).contains("/q/health/ready")
                .contains("/dev/tcp/127.0.0.1/");
    }

    @Test
    void shouldBuildTheGpuImageWithTheGpuProfile() throws Exception {
        String text = Files.readString(Path.of("docker/Dockerfile.gpu"));
        assertThat(text).contains("-Pgpu package");
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<id>gpu</id>");
    }
}
