package io.avisstream.avis.demo;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** Defaults of the {@code demo} command ({@code avis.demo.*}); its flags override them per run. */
@ConfigMapping(prefix = "avis.demo")
public interface DemoConfig {

    /** Stream id (Kafka key) the demo produces under. */
    @WithDefault("demo")
    String streamId();

    /** Folder for {@code masks.jsonl}, {@code events.jsonl} and {@code annotated.mp4} (relative to the working dir). */
    @WithDefault("out/demo")
    Path outDir();

    /** Send at the clip's own pace (true) or as fast as the broker takes it (false). */
    @WithDefault("false")
    boolean realtime();

    /** How long to wait, after the clip was sent, for every frame's masks record. */
    @WithDefault("300s")
    Duration timeout();

    /** How long to keep reading events after the last masks record arrived (events may trail by a commit). */
    @WithDefault("2s")
    Duration settle();

    /** How long to wait for the service to create its topics. */
    @WithDefault("60s")
    Duration topicsTimeout();

    /** PCM chunk length sent to the audio topic. */
    @WithDefault("100ms")
    Duration audioChunk();

    /**
     * How audio records carry the 16 kHz samples: {@code f32le} (the resampler's signal) or {@code s16le} (rounded
     * to 16 bits, for a service that predates f32le).
     */
    @WithDefault("f32le")
    String audioEncoding();

    /** JPEG quality (1..100) when frames are sent with {@code --jpeg}. */
    @WithDefault("90")
    int jpegQuality();
}
