package io.avisstream.avis.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.avisstream.avis.ingest.FrameEncoder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    /** The documented defaults of avis.demo.*, as plain values. */
    private static final DemoConfig DEFAULTS = new Defaults();

    private static class Defaults implements DemoConfig {
        public String streamId() {
            return "demo";
        }

        public Path outDir() {
            return Path.of("out/demo");
        }

        public boolean realtime() {
            return false;
        }

        public Duration timeout() {
            return Duration.ofSeconds(300);
        }

        public Duration settle() {
            return Duration.ofSeconds(2);
        }

        public Duration topicsTimeout() {
            return Duration.ofSeconds(60);
        }

        public Duration audioChunk() {
            return Duration.ofMillis(100);
        }

        public String audioEncoding() {
            return "f32le";
        }

        public int jpegQuality() {
            return 90;
        }
    }

    @Test
    void shouldAcceptTheDefaultsAndNameTheKeyOfABadValue() {
        DemoCommand.validate(DEFAULTS);
        assertThatThrownBy(() -> DemoCommand.validate(new Defaults() {
            @Override
            public Duration audioChunk() {
                return Duration.ofMillis(1);
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("avis.demo.audio-chunk");
        assertThatThrownBy(() -> DemoCommand.validate(new Defaults() {
            @Override
            public int jpegQuality() {
                return 0;
            }
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("avis.demo.jpeg-quality");
        assertThatThrownBy(() -> DemoCommand.validate(new Defaults() {
            @Override
            public String audioEncoding() {
                return "f64le";
            }
        })).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("avis.demo.audio-encoding must be f32le or s16le, got 'f64le'");
    }

    @Test
    void shouldUseTheConfiguredDefaultsWithoutFlags() {
        DemoOptions options = DemoOptions.parse(DEFAULTS);

        assertThat(options).isEqualTo(new DemoOptions(Optional.empty(), "demo", false, FrameEncoder.Mode.AUTO, Path.of("out/demo"),
                Duration.ofSeconds(300)));
    }

    @Test
    void shouldApplyEveryFlag() {
        DemoOptions options = DemoOptions.parse(DEFAULTS, "--input", "clip.mp4", "--stream", "cam-7", "--realtime",
                "--jpeg", "--out", "/tmp/x", "--timeout", "12.5");

        assertThat(options).isEqualTo(new DemoOptions(Optional.of(Path.of("clip.mp4")), "cam-7", true, FrameEncoder.Mode.JPEG,
                Path.of("/tmp/x"), Duration.ofMillis(12_500)));
    }

    @Test
    void shouldRejectUnknownFlagsAndMissingValues() {
        assertThatThrownBy(() -> DemoOptions.parse(DEFAULTS, "--bogus"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--bogus");
        assertThatThrownBy(() -> DemoOptions.parse(DEFAULTS, "--input"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--input needs a value");
        assertThatThrownBy(() -> DemoOptions.parse(DEFAULTS, "--stream", "--jpeg"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--stream needs a value");
        assertThatThrownBy(() -> DemoOptions.parse(DEFAULTS, "--timeout", "soon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("seconds");
        assertThatThrownBy(() -> DemoOptions.parse(DEFAULTS, "--timeout", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        assertThatThrownBy(() -> DemoOptions.parse(DEFAULTS, "--input", "rtsp://cam.local/live"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rtsp://cam.local/live")
                .hasMessageContaining("ingest");
    }
}
