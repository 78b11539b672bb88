package io.avisstream.avis.demo;

import static io.avisstream.avis.ingest.Clips.LOSSLESS_SQUARES;
import static io.avisstream.avis.ingest.Clips.clip;
import static io.avisstream.avis.ingest.Clips.decodeAll;
import static io.avisstream.avis.ingest.Clips.rms;
import static io.avisstream.avis.ingest.Clips.zeroCrossingHz;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.avisstream.avis.ingest.Clips;
import io.avisstream.avis.message.AudioFormat;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.EventType;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The demo command end to end in one process: the service's in-process KRaft broker and topology (with the
 * deterministic test engine, which sees every distinct colour as one object and calls objects sounding when
 * their frame's audio window is loud), a real clip decoded by FFmpeg, and the annotated mp4 decoded again.
 *
 * <p>The clip: 5 s at 10 fps, lossless RGB, a moving red and a static green square, a loud tone from 0.8 s
 * to 2.0 s. At {@code avis.inference.fps=1} frames 0, 10, 20, 30, 40 are inferred; the windows of 0 and 10
 * hold tone, those of 20, 30, 40 are silent.
 */
@QuarkusTest
@TestProfile(DemoIT.OwnPipeline.class)
public class DemoIT {

    /**
     * A Quarkus app of its own: a fresh in-process broker (so the demo's stream does not show up in other ITs'
     * topic reads) and a fresh state directory (local stores checkpointed against an earlier, deleted broker
     * would be restored as corrupted tasks while the demo is already sending).
     */
    public static class OwnPipeline implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path stateDir = Files.createTempDirectory(Path.of("target"), "demo-it-state-");
                return Map.of("avis.topology.state-dir", stateDir.toString(),
                        "avis.topology.application-id", "avis-stream-demo-it");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    @Inject
    DemoCommand demo;

    private static <T> List<T> readJsonLines(Path file, MessageCodec<T> codec) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .map(line -> codec.decode(line.getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void shouldGiveEveryFrameItsMasksAndWriteEventsAndAnAnnotatedVideo() throws Exception {
        // Given
        Path out = Path.of("target/demo-it");
        String stream = "demo-it-" + System.nanoTime();

        // When
        int exit = demo.run("--input", clip(LOSSLESS_SQUARES).toString(), "--stream", stream, "--out",
                out.toString(), "--timeout", "120");

        // Then: one masks record per frame, in order, inferred at 1 fps
        assertThat(exit).isZero();
        List<MasksMessage> masks = readJsonLines(out.resolve("masks.jsonl"), MessageCodec.MASKS);
        assertThat(masks).extracting(MasksMessage::seq).containsExactlyElementsOf(
                LongStream.range(0, 50).boxed().toList());
        assertThat(masks).allSatisfy(m -> assertThat(m.streamId()).isEqualTo(stream));
        assertThat(masks).filteredOn(MasksMessage::inferred).extracting(MasksMessage::seq)
                .containsExactly(0L, 10L, 20L, 30L, 40L);
        // both squares on every frame, under the same two track ids throughout
        assertThat(masks).allSatisfy(m -> assertThat(m.instances()).hasSize(2));
        Set<Long> tracks = masks.stream().flatMap(m -> m.instances().stream()).map(InstanceMessage::trackId)
                .collect(Collectors.toSet());
        assertThat(tracks).hasSize(2);
        // sounding while the tone plays (inferred 0 and 10), silent once it stopped (30 and 40)
        assertThat(masks.get(10).instances()).allMatch(InstanceMessage::sounding);
        assertThat(masks.get(40).instances()).noneMatch(InstanceMessage::sounding);

        // events: each square's onset comes before its offset
        List<EventMessage> events = readJsonLines(out.resolve("events.jsonl"), MessageCodec.EVENTS);
        for (long track : tracks) {
            List<EventType> types = events.stream().filter(e -> e.trackId() != null && e.trackId() == track)
                    .map(EventMessage::type).toList();
            assertThat(types).as("events of track %d", track).containsExactly(EventType.ONSET, EventType.OFFSET);
        }

        // the annotated video: every frame, same size, tinted where the masks are, audio muxed back
        Clips.Decoded annotated = decodeAll(out.resolve("annotated.mp4"), 1600);
        assertThat(annotated.frames()).hasSize(50);
        assertThat(annotated.info().width()).isEqualTo(96);
        short[] pcm = annotated.pcm();
        int sr = AudioFormat.SAMPLE_RATE;
        assertThat(zeroCrossingHz(pcm, sr, (int) (1.9 * sr), sr)).isCloseTo(1000.0, within(5.0));
        assertThat(rms(pcm, (int) (2.3 * sr), (int) (4.5 * sr))).isLessThan(100);
        Clips.Decoded original = decodeAll(clip(LOSSLESS_SQUARES), 1600);
        assertThat(annotated.frames().get(10).frame().rgb()).isNotEqualTo(original.frames().get(10).frame().rgb());
    }

    @Test
    void shouldExitWithUsageOrBadInputCodesBeforeSendingAnything() throws Exception {
        assertThat(demo.run("--bogus")).isEqualTo(DemoCommand.EXIT_USAGE);
        assertThat(demo.run("--input", "target/no-such-clip.mp4")).isEqualTo(DemoCommand.EXIT_BAD_INPUT);
        Path notMedia = Files.writeString(Files.createTempFile(Path.of("target"), "not-media-", ".mp4"), "text");
        assertThat(demo.run("--input", notMedia.toString(), "--out", "target/demo-it-bad")).isEqualTo(
                DemoCommand.EXIT_BAD_INPUT);
    }
}
