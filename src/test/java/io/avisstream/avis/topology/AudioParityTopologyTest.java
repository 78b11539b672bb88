package io.avisstream.avis.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListMap;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.avisstream.avis.audio.LogMelFrontEnd;
import io.avisstream.avis.engine.FrameFeatures;
import io.avisstream.avis.engine.FrameRequest;
import io.avisstream.avis.engine.Npy;
import io.avisstream.avis.ingest.MediaReader;
import io.avisstream.avis.ingest.MediaSample;
import io.avisstream.avis.ingest.PcmChunk;
import io.avisstream.avis.ingest.PcmChunker;
import io.avisstream.avis.ingest.TestWavs;
import io.avisstream.avis.media.AudioWindow;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.AudioCoverage;
import io.avisstream.avis.message.AudioFormat;
import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.topology.contract.TopicContract;

/**
 * What the model hears through the topology: a stereo WAV decoded and resampled as {@code ingest} does, sent as
 * audio records, joined to frames at t = 0, 1, 2 s and turned into the engine's log-mel patches, against the
 * official {@code wavfile_to_examples} patches ({@code engines/tools/make_resample_vectors.py},
 * {@code e2e-tones-<rate>.mel.npy}). Pure tones on digital silence: the input on which 16-bit rounding of the
 * audio topic shows.
 */
class AudioParityTopologyTest {
    private static final TopicContract CONTRACT = TopicContract.bundled();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String CAM = "cam-1";
    private static final float TOLERANCE = 0.02f;

    @TempDir
    Path dir;

    /** The engine's audio input per seq, then what {@code FramePreprocessor} makes of it. */
    private static final class HearingEngine extends DeterministicTestEngine {
        final Map<Long, AudioWindow> heard = new ConcurrentSkipListMap<>();

        @Override
        public List<FrameFeatures> encodeFrames(List<FrameRequest> batch) {
            batch.forEach(r -> heard.put(r.seq(), r.audio()));
            return super.encodeFrames(batch);
        }

        float[][] patches() {
            LogMelFrontEnd frontEnd = new LogMelFrontEnd();
            return heard.values().stream().map(w -> Optional
                    .ofNullable(frontEnd.modelPatch(w.pcm(), w.coverage() == AudioCoverage.COMPLETE))
                    .orElse(new float[LogMelFrontEnd.PATCH_LENGTH])).toArray(float[][]::new);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {44_100, 48_000})
    void shouldFeedTheModelTheOfficialPatchesFromAnF32leAudioStream(int rate) throws Exception {
        // Given: 2.4 s of 7.5 / 7.9 kHz tones (two full seconds and a 0.4 s last one) and the official patches
        float[] expected = Npy.resource("parity/resample/e2e-tones-" + rate + ".mel.npy").floats();

        // When
        HearingEngine engine = new HearingEngine();
        List<MasksMessage> masks = play(engine, rate, AudioFormat.Encoding.F32LE);

        // Then: within the tolerance in every band of the full seconds; the partial last second is all zeros
        assertThat(masks).extracting(MasksMessage::audio).containsExactly("complete", "complete", "partial");
        float[][] got = engine.patches();
        assertThat(got).hasNumberOfRows(3);
        assertThat(TestWavs.worst(got, expected, 2)).isLessThan(TOLERANCE);
        assertThat(got[2]).containsOnly(0f);
        for (int i = 0; i < LogMelFrontEnd.PATCH_LENGTH; i++) {
            assertThat(expected[2 * LogMelFrontEnd.PATCH_LENGTH + i]).isZero();
        }
    }

    @Test
    void shouldMissTheOfficialPatchesOnPureTonesFromAnS16leAudioStream() throws Exception {
        // Given
        float[] expected = Npy.resource("parity/resample/e2e-tones-44100.mel.npy").floats();

        // When: the same audio rounded to 16 bits by the producer (the wire default)
        HearingEngine engine = new HearingEngine();
        play(engine, 44_100, AudioFormat.Encoding.S16LE);

        // Then: the rounding noise lifts the digitally silent bands past the tolerance (why ingest sends f32le)
        assertThat(TestWavs.worst(engine.patches(), expected, 2)).isGreaterThan(TOLERANCE);
    }

    /** Sends the tones WAV's audio as {@code encoding} records and frames at 0, 1, 2 s; returns the masks records. */
    private List<MasksMessage> play(HearingEngine engine, int rate, AudioFormat.Encoding encoding) throws Exception {
        Path wav = dir.resolve("tones-" + rate + ".wav");
        TestWavs.writeWav(wav, TestWavs.stereoTones(rate, 2.4), rate, 2);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "avis-audio-parity-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state-" + encoding).toString());
        TopologySettings settings = TopologySettings.defaults();
        try (TopologyTestDriver driver = new TopologyTestDriver(AvisTopology.build(engine, settings, CONTRACT), props, T0)) {
            TestInputTopic<String, FrameMessage> frames = driver.createInputTopic(CONTRACT.frames().name(),
                    Serdes.String().serializer(), CONTRACT.frames().valueSerde().serializer(), T0, Duration.ofMillis(1));
            TestInputTopic<String, AudioChunkMessage> audio = driver.createInputTopic(CONTRACT.audio().name(),
                    Serdes.String().serializer(), CONTRACT.audio().valueSerde().serializer(), T0, Duration.ofMillis(1));
            TestOutputTopic<String, MasksMessage> masks = driver.createOutputTopic(CONTRACT.masks().name(),
                    Serdes.String().deserializer(), CONTRACT.masks().valueSerde().deserializer());
            for (long seq = 0; seq < 3; seq++) {
                frames.pipeInput(CAM, new FrameMessage(CAM, seq, seq * 1_000_000L, TestStreams.W, TestStreams.H,
                        FrameEncoding.RGB24, new byte[TestStreams.W * TestStreams.H * 3]));
            }
            try (MediaReader reader = MediaReader.openAudio(wav, PcmChunker.samplesFor(100))) {
                for (Optional<MediaSample> s = reader.next(); s.isPresent(); s = reader.next()) {
                    if (s.get() instanceof PcmChunk chunk) {
                        audio.pipeInput(CAM, AudioChunkMessage.of(CAM, chunk.startMicros(), chunk.samples(), encoding));
                    }
                }
            }
            ListeningClock.letTimePass(driver, settings, settings.idleFlush().plusSeconds(1)); // the end of the stream
            return masks.readValuesToList();
        }
    }
}
