package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.TestStreams.chunk;
import static io.avisstream.avis.topology.TestStreams.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.avisstream.avis.dlq.DeadLetters;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.AudioFormat;
import io.avisstream.avis.message.DlqReason;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.EventType;
import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.topology.contract.TopicContract;

/**
 * Contract tests of the topology on TopologyTestDriver: the audio-video join cases, sampling, tracking,
 * events and every dead-letter case.
 */
class AvisTopologyTest {
    private static final TopicContract CONTRACT = TopicContract.bundled();
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String CAM = "cam-1";

    @TempDir
    Path stateDir;

    private final DeterministicTestEngine engine = new DeterministicTestEngine();
    private TopologyTestDriver driver;
    private TopologySettings settings;
    private TestInputTopic<String, FrameMessage> frames;
    private TestInputTopic<byte[], byte[]> rawFrames;
    private TestInputTopic<String, AudioChunkMessage> audio;
    private TestInputTopic<byte[], byte[]> rawAudio;
    private TestOutputTopic<String, MasksMessage> masks;
    private TestOutputTopic<String, EventMessage> events;
    private TestOutputTopic<byte[], byte[]> dlq;

    private void start(TopologySettings settings) {
        this.settings = settings;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "avis-topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(AvisTopology.build(engine, settings, CONTRACT), props, T0);
        frames = driver.createInputTopic(CONTRACT.frames().name(), Serdes.String().serializer(),
                CONTRACT.frames().valueSerde().serializer(), T0, Duration.ofMillis(1));
        rawFrames = driver.createInputTopic(CONTRACT.frames().name(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), T0, Duration.ofMillis(1));
        audio = driver.createInputTopic(CONTRACT.audio().name(), Serdes.String().serializer(),
                CONTRACT.audio().valueSerde().serializer(), T0, Duration.ofMillis(1));
        rawAudio = driver.createInputTopic(CONTRACT.audio().name(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), T0, Duration.ofMillis(1));
        masks = driver.createOutputTopic(CONTRACT.masks().name(), Serdes.String().deserializer(),
                CONTRACT.masks().valueSerde().deserializer());
        events = driver.createOutputTopic(CONTRACT.events().name(), Serdes.String().deserializer(),
                CONTRACT.events().valueSerde().deserializer());
        dlq = driver.createOutputTopic(CONTRACT.dlq().name(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    private void start() {
        start(TopologySettings.defaults());
    }

    @AfterEach
    void close() {
        if (driver != null) {
            driver.close();
        }
    }

    // ---------------------------------------------------------------- audio-video join

    @Test
    void shouldEmitCompleteAudioWhenChunksCoverTheWindowAfterTheFrame() {
        // Given
        start();

        // When: the frame at 0 arrives first, then audio [0, 1.0 s) in 100 ms chunks
        frames.pipeInput(CAM, frame(CAM, 0));
        List<MasksMessage> beforeAudio = masks.readValuesToList();
        for (int i = 0; i < 10; i++) {
            audio.pipeInput(CAM, chunk(CAM, i, true));
        }

        // Then: nothing until the window [0, 975 ms) is covered, then one complete record
        assertThat(beforeAudio).isEmpty();
        assertThat(masks.readValuesToList()).extracting(MasksMessage::seq, MasksMessage::audio)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, "complete"));
    }

    @Test
    void shouldEmitCompleteAudioWhenChunksArriveBeforeTheFrameAndOutOfOrder() {
        // Given
        start();

        // When: audio chunks in reverse order, then the frame
        for (int i = 9; i >= 0; i--) {
            audio.pipeInput(CAM, chunk(CAM, i, true));
        }
        frames.pipeInput(CAM, frame(CAM, 0));

        // Then
        assertThat(masks.readValuesToList()).extracting(MasksMessage::audio).containsExactly("complete");
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldFlagAudioPartialWhenStreamTimePassesWindowPlusGraceWithGaps() {
        // Given grace 2 s and audio for [0, 500 ms), then from 1.0 s on: the stream's audio has passed frame 0's window
        start();
        for (int i = 0; i < 5; i++) {
            audio.pipeInput(CAM, chunk(CAM, i, true));
        }
        audio.pipeInput(CAM, chunk(CAM, 10, true));

        // When frame 0 is followed by frame 75 (pts 3.0 s >= 0 + 0.975 + 2)
        frames.pipeInput(CAM, frame(CAM, 0));
        frames.pipeInput(CAM, frame(CAM, 75));

        // Then frame 0 is emitted with partial audio; frame 75 waits for its audio
        assertThat(masks.readValuesToList()).extracting(MasksMessage::seq, MasksMessage::audio)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, "partial"));
    }

    @Test
    void shouldFlagAudioMissingWhenNoChunkArrivesWithinGrace() {
        // Given
        start();

        // When 8 s of frames arrive one every 60 ms of wall time (slower than real time: the thread's own busy time is
        // not listening time, and the margin keeps the outcome independent of this machine's speed), no audio at all
        for (int s = 0; s < 200; s++) {
            driver.advanceWallClockTime(Duration.ofMillis(60));
            frames.pipeInput(CAM, frame(CAM, s));
        }

        // Then once the stream has sent no audio for idle-flush (3 s) while its frames waited, stream time expires
        // them: up to frame 124 (4.96 s + 0.975 s + 2 s <= 7.96 s), with missing audio; frame 125 (5.0 s) is not yet
        List<MasksMessage> out = masks.readValuesToList();
        assertThat(out).extracting(MasksMessage::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(0, 124).boxed().toList());
        assertThat(out).allSatisfy(m -> assertThat(m.audio()).isEqualTo("missing"));
    }

    @Test
    void shouldNotExpireFramesWhoseAudioIsNotReadYetUntilTheStreamSentNoAudioForIdleFlush() {
        // Given audio read up to 1.0 s, then only frames: 5 s of them arrive at once (a burst: no time to read the
        // audio written with them)
        start();
        for (int i = 0; i < 10; i++) {
            audio.pipeInput(CAM, chunk(CAM, i, true));
        }
        for (int s = 0; s < 150; s++) {
            frames.pipeInput(CAM, frame(CAM, s));
        }
        List<MasksMessage> burst = masks.readValuesToList();

        // When the stream goes on sending frames, one every 60 ms of wall time (margin as above), but no audio
        for (int s = 150; s < 250; s++) {
            driver.advanceWallClockTime(Duration.ofMillis(60));
            frames.pipeInput(CAM, frame(CAM, s));
        }

        // Then the burst emitted only frame 0 (its window is covered); once the stream had sent no audio for
        // idle-flush (3 s), stream time (9.96 s) expired frames up to 174 (6.96 s + 2.975 s), partial then missing
        assertThat(burst).extracting(MasksMessage::seq, MasksMessage::audio)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, "complete"));
        List<MasksMessage> out = masks.readValuesToList();
        assertThat(out).extracting(MasksMessage::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 174).boxed().toList());
        assertThat(out).filteredOn(m -> m.seq() < 25).allSatisfy(m -> assertThat(m.audio()).isEqualTo("partial"));
        assertThat(out).filteredOn(m -> m.seq() >= 25).allSatisfy(m -> assertThat(m.audio()).isEqualTo("missing"));
    }

    @Test
    void shouldNotWaitForGraceWhenTheBoundaryIsJustShort() {
        // Given (boundary of the rule above): frame 74 is at 2.96 s < 0 + 0.975 s + 2 s
        start();

        // When
        frames.pipeInput(CAM, frame(CAM, 0));
        frames.pipeInput(CAM, frame(CAM, 74));

        // Then frame 0 is still buffered
        assertThat(masks.isEmpty()).isTrue();
    }

    @Test
    void shouldEmitExactlyOneRecordPerFrameInSeqOrderWhenArrivalInterleavesOutOfOrder() {
        // Given 50 frames (2 s) and 30 chunks (3 s) of one stream, interleaved with local reordering
        start();
        List<Runnable> inputs = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            int c = i;
            inputs.add(() -> audio.pipeInput(CAM, chunk(CAM, c, true)));
        }
        for (int s = 0; s < 50; s++) {
            long seq = s;
            inputs.add(Math.min(inputs.size(), s / 3 + s), () -> frames.pipeInput(CAM, frame(CAM, seq)));
        }
        // swap neighbours to reorder arrivals within a few hundred ms
        for (int i = 0; i + 1 < inputs.size(); i += 3) {
            Runnable a = inputs.get(i);
            inputs.set(i, inputs.get(i + 1));
            inputs.set(i + 1, a);
        }

        // When
        inputs.forEach(Runnable::run);
        ListeningClock.letTimePass(driver, settings, Duration.ofSeconds(10));

        // Then every frame once, in order, complete where its window is covered (pts + 975 ms <= 3 s)
        List<MasksMessage> out = masks.readValuesToList();
        assertThat(out).extracting(MasksMessage::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 50).boxed().toList());
        assertThat(out).allSatisfy(m -> assertThat(m.audio()).isEqualTo("complete"));
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldWaitForAudioReadAfterABurstOfFramesThatRunsStreamTimePastGrace() {
        // Given 3 s of one stream read in step (per 100 ms: its audio chunk, then its frames), as PipelineIT writes it
        start();
        int frame = 0;
        for (int step = 0; step < 30; step++) {
            audio.pipeInput(CAM, chunk(CAM, step, true));
            for (; frame * TestStreams.FRAME_MICROS < (step + 1) * TestStreams.CHUNK_MICROS; frame++) {
                frames.pipeInput(CAM, frame(CAM, frame));
            }
        }

        // When the task is handed the next 5 s of frames before the audio written with them (the consumer returns the
        // frames partition's records first and reads the audio partition's lag as 0: Kafka Streams then processes
        // the frames alone), then that audio, with no wall time in between
        for (; frame < 200; frame++) {
            frames.pipeInput(CAM, frame(CAM, frame));
        }
        for (int step = 30; step < 90; step++) {
            audio.pipeInput(CAM, chunk(CAM, step, true));
        }

        // Then stream time running 5 s ahead of the audio read did not expire the frames: every one is complete
        List<MasksMessage> out = masks.readValuesToList();
        assertThat(out).extracting(MasksMessage::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.range(0, 200).boxed().toList());
        assertThat(out).allSatisfy(m -> assertThat(m.audio()).as("seq %d", m.seq()).isEqualTo("complete"));
        assertThat(dlq.isEmpty()).isTrue();
    }

    @Test
    void shouldFlushAnIdleStreamAfterIdleFlushOfWallClockTime() {
        // Given a frame whose audio never completes and no later frame
        start();
        frames.pipeInput(CAM, frame(CAM, 0));
        audio.pipeInput(CAM, chunk(CAM, 0, true));

        // When 1 s of wall clock passes, then 3 s
        ListeningClock.letTimePass(driver, settings, Duration.ofSeconds(1));
        boolean emittedEarly = !masks.isEmpty();
        ListeningClock.letTimePass(driver, settings, Duration.ofSeconds(3));

        // Then it is emitted only after idle-flush (3 s), with partial audio
        assertThat(emittedEarly).isFalse();
        assertThat(masks.readValuesToList()).extracting(MasksMessage::audio).containsExactly("partial");
    }

    @Test
    void shouldKeepStreamsIndependent() {
        // Given two streams; only cam-2 gets audio
        start();
        frames.pipeInput("cam-2", frame("cam-2", 0));
        frames.pipeInput(CAM, frame(CAM, 0));

        // When
        for (int i = 0; i < 10; i++) {
            audio.pipeInput("cam-2", chunk("cam-2", i, true));
        }

        // Then
        assertThat(masks.readKeyValuesToList()).extracting(kv -> kv.key + ":" + kv.value.audio())
                .containsExactly("cam-2:complete");
    }

    @Test
    void shouldPassTheAlignedWindowToTheEngine() {
        // Given audio that is loud only in [1.0 s, 2.0 s): the frame at 1.0 s must hear it, the frame at 0 must not
        start(TopologySettings.defaults().withFps(0));
        for (int i = 0; i < 25; i++) {
            audio.pipeInput(CAM, chunk(CAM, i, i >= 10 && i < 20));
        }

        // When
        frames.pipeInput(CAM, frame(CAM, 0));
        frames.pipeInput(CAM, frame(CAM, 25));

        // Then the sounding flag (loud audio in the window) follows the alignment [t, t + 975 ms)
        List<MasksMessage> out = masks.readValuesToList();
        assertThat(out).extracting(m -> m.instances().get(0).sounding()).containsExactly(false, true);
    }

    @Test
    void shouldDecodeJpegFramesForTheEngine() {
        // Given a 32x24 JPEG frame (black with a red dot at 1,1) and its audio
        start();
        for (int i = 0; i < 10; i++) {
            audio.pipeInput(CAM, chunk(CAM, i, true));
        }

        // When
        frames.pipeInput(CAM, new FrameMessage(CAM, 0, 0, 32, 24, FrameEncoding.JPEG, TestStreams.jpeg(32, 24)));

        // Then the frame is inferred like an rgb24 one: the engine saw decoded pixels (at least one coloured object)
        List<MasksMessage> out = masks.readValuesToList();
        assertThat(out).extracting(MasksMessage::seq, MasksMessage::inferred)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, true));
        assertThat(out.get(0).instances()).isNotEmpty();
        assertThat(dlq.isEmpty()).isTrue();
    }

    // ---------------------------------------------------------------- sampling, tracking, events

    @Test
    void shouldInferOneFramePerSecondAndCopyInstancesToTheOthersWhenFreshMasksAreOff() {
        // Given 2 s of frames at 25 fps with 3 s of audio, mask-fps 0
        start(TopologySettings.defaults().withMaskFps(0));
        for (int i = 0; i < 30; i++) {
            audio.pipeInput(CAM, chunk(CAM, i, true));
        }

        // When
        for (int s = 0; s < 50; s++) {
            frames.pipeInput(CAM, frame(CAM, s));
        }

        // Then frames 0 and 25 are inferred; every other frame copies the last inferred one, masks included
        List<MasksMessage> out = masks.readValuesToList();
        assertThat(out).hasSize(50);
        assertThat(out).filteredOn(MasksMessage::inferred).extracting(MasksMessage::seq).containsExactly(0L, 25L);
        assertThat(out.get(24).sourceSeq()).isEqualTo(0);
        assertThat(out.get(49).sourceSeq()).isEqualTo(25);
        assertThat(out.get(24).instances()).isEqualTo(out.get(0).instances());
        assertThat(out).extracting(MasksMessage::maskSeq).containsExactlyElementsOf(
                out.stream().map(MasksMessage::sourceSeq).toList());
        assertThat(out).noneMatch(MasksMessage::freshMasks);
        assertThat(engine.encodedFrames()).isEqualTo(2);
        assertThat(engine.refreshedFrames()).isZero();
        assertThat(out.get(0).engine()).isEqualTo(DeterministicTestEngine.NAME);
    }

    @Test
    void shouldGiveEveryFrameBetweenInferencesFreshMasksThatFollowTheMovingObjectWithTheSameIds() {
        // Given a red square moving 1 px per frame, 2 s at 25 fps, inference at 1 fps, fresh masks at 25 fps
        start(TopologySettings.defaults().withMaskFps(25));
        for (int i = 0; i < 30; i++) {
            audio.pipeInput(CAM, chunk(CAM, i, true));
        }

        // When
        for (int s = 0; s < 50; s++) {
            frames.pipeInput(CAM, frame(CAM, s));
        }

        // Then the model still runs on the 1 fps grid, and frame 7 has its own mask: the square where it is now
        List<MasksMessage> out = masks.readValuesToList();
        assertThat(out).filteredOn(MasksMessage::inferred).extracting(MasksMessage::seq).containsExactly(0L, 25L);
        assertThat(engine.encodedFrames()).isEqualTo(2);
        assertThat(engine.refreshedFrames()).isEqualTo(48);
        MasksMessage inferred = out.get(0);
        MasksMessage fresh = out.get(7);
        assertThat(fresh.inferred()).isFalse();
        assertThat(fresh.freshMasks()).isTrue();
        assertThat(fresh.sourceSeq()).isZero();
        assertThat(fresh.maskSeq()).isEqualTo(7);
        InstanceMessage was = inferred.instances().get(0);
        InstanceMessage now = fresh.instances().get(0);
        assertThat(now.mask()).isNotEqualTo(was.mask());
        assertThat(io.avisstream.avis.media.CocoRle.decode(now.mask().counts(), 24, 32).data())
                .containsExactly(maskOf(frame(CAM, 7)));
        assertThat(now.bbox()).containsExactly(7, 4, 6, 6);
        assertThat(was.bbox()).containsExactly(0, 4, 6, 6);
        // ... with the inferred frame's identity: track id, class, score, sounding flag
        assertThat(now).usingRecursiveComparison().comparingOnlyFields("trackId", "classId", "className", "score",
                "sounding").isEqualTo(was);
        assertThat(out).extracting(m -> m.instances().get(0).trackId()).containsOnly(1L);
        assertThat(out.get(30).sourceSeq()).isEqualTo(25);
        assertThat(out.get(30).instances().get(0).bbox()).containsExactly(10, 4, 6, 6);
    }

    @Test
    void shouldRefreshOnTheMaskFpsGridAndCopyTheNewestMasksInBetween() {
        // Given fresh masks at 5 fps: one frame in five (200 ms slots anchored at the first frame)
        start(TopologySettings.defaults().withMaskFps(5));
        for (int i = 0; i < 15; i++) {
            audio.pipeInput(CAM, chunk(CAM, i, true));
        }

        // When
        for (int s = 0; s < 12; s++) {
            frames.pipeInput(CAM, frame(CAM, s));
        }

        // Then 5 and 10 are fresh; 1-4 copy the inferred frame 0, 6-9 copy frame 5's fresh masks, 11 frame 10's
        List<MasksMessage> out = masks.readValuesToList();
        assertThat(out).filteredOn(MasksMessage::freshMasks).extracting(MasksMessage::seq).containsExactly(5L, 10L);
        assertThat(out).extracting(MasksMessage::maskSeq).containsExactly(0L, 0L, 0L, 0L, 0L, 5L, 5L, 5L, 5L, 5L,
                10L, 10L);
        assertThat(out).extracting(MasksMessage::sourceSeq).containsOnly(0L);
        assertThat(out.get(8).instances()).isEqualTo(out.get(5).instances());
        assertThat(out.get(8).instances().get(0).bbox()).containsExactly(5, 4, 6, 6);
        assertThat(engine.refreshedFrames()).isEqualTo(2);
    }

    @Test
    void shouldNeverPublishAnEmptyFreshMaskAndFindTheObjectAgainWhenItComesBack() {
        // Given fresh masks on every frame; the red square is gone on frames 2 and 3 (black frames)
        start(TopologySettings.defaults().withMaskFps(25));
        for (int i = 0; i < 15; i++) {
            audio.pipeInput(CAM, chunk(CAM, i, true));
        }

        // When
        for (int s = 0; s < 6; s++) {
            frames.pipeInput(CAM, s == 2 || s == 3 ? frame(CAM, s, 0x000000) : frame(CAM, s));
        }

        // Then frames 2 and 3 have no instance (not an empty mask), and frame 4's fresh mask has track 1 again
        List<MasksMessage> out = masks.readValuesToList();
        assertThat(out).extracting(m -> m.instances().size()).containsExactly(1, 1, 0, 0, 1, 1);
        assertThat(out.get(2).freshMasks()).isTrue();
        assertThat(out.get(4).instances().get(0).trackId()).isEqualTo(1L);
        assertThat(out.get(4).instances().get(0).bbox()).containsExactly(4, 4, 6, 6);
    }

    @Test
    void shouldKeepTrackIdsAcrossInferredFramesAndFeedTheWindowHistory() {
        // Given a red and (from frame 50) a green object, every frame inferred
        start(TopologySettings.defaults().withFps(0));
        for (int i = 0; i < 40; i++) {
            audio.pipeInput(CAM, chunk(CAM, i, true));
        }

        // When
        for (int s = 0; s < 5; s++) {
            frames.pipeInput(CAM, frame(CAM, s, s < 3 ? 0xff0000 : 0x00ff00));
        }

        // Then red keeps id 1, green gets id 2; the video stage saw windows of 1, 2, 3, 3, 3 frames (W = 3)
        List<MasksMessage> out = masks.readValuesToList();
        assertThat(out).extracting(m -> m.instances().get(0).trackId()).containsExactly(1L, 1L, 1L, 2L, 2L);
        assertThat(out).extracting(m -> m.instances().get(0).className())
                .containsExactly("person", "person", "person", "violin", "violin");
        assertThat(engine.windowSizes()).containsExactly(1, 2, 3, 3, 3);
        InstanceMessage first = out.get(0).instances().get(0);
        assertThat(first.bbox()).containsExactly(0, 4, 6, 6);
        assertThat(first.mask().size()).containsExactly(24, 32);
        assertThat(io.avisstream.avis.media.CocoRle.decode(first.mask().counts(), 24, 32).data())
                .containsExactly(java.util.Arrays.copyOf(maskOf(frame(CAM, 0)), 24 * 32));
    }

    @Test
    void shouldFireOnsetAndOffsetWithHysteresisButNotForAFlicker() {
        // Given every frame inferred at 1 fps (one frame per second) and audio loud in seconds 1, 3, 4, silent else
        start();
        boolean[] loudSecond = { false, true, false, true, true, false, false, false };
        for (int i = 0; i < 80; i++) {
            audio.pipeInput(CAM, chunk(CAM, i, loudSecond[i / 10]));
        }

        // When one frame per second for 8 s (seq = second * 25)
        for (int sec = 0; sec < 7; sec++) {
            frames.pipeInput(CAM, frame(CAM, sec * 25L));
        }

        // Then the one-second flicker at 1 s fires nothing; 3-4 s fires onset at 4 s; silence 5-6 s fires offset at 6 s
        assertThat(events.readValuesToList()).extracting(EventMessage::seq, EventMessage::type, EventMessage::soundingCount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(100L, EventType.ONSET, 1),
                        org.assertj.core.groups.Tuple.tuple(100L, EventType.COUNT_CHANGE, 1),
                        org.assertj.core.groups.Tuple.tuple(150L, EventType.OFFSET, 0),
                        org.assertj.core.groups.Tuple.tuple(150L, EventType.COUNT_CHANGE, 0));
    }

    // ---------------------------------------------------------------- dead letters

    @Test
    void shouldDeadLetterBytesThatAreNotJsonWithSourceCoordinates() {
        // Given
        start();
        byte[] key = CAM.getBytes(StandardCharsets.UTF_8);
        byte[] value = "not json".getBytes(StandardCharsets.UTF_8);

        // When
        rawFrames.pipeInput(key, value);

        // Then
        TestRecord<byte[], byte[]> dead = dlq.readRecord();
        assertThat(dead.key()).isEqualTo(key);
        assertThat(dead.value()).isEqualTo(value);
        assertThat(header(dead, DeadLetters.REASON)).isEqualTo("UNDECODABLE");
        assertThat(header(dead, DeadLetters.STAGE)).isEqualTo(IngressProcessor.STAGE_FRAMES);
        assertThat(header(dead, DeadLetters.SOURCE_TOPIC)).isEqualTo(CONTRACT.frames().name());
        assertThat(header(dead, DeadLetters.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(header(dead, DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(header(dead, DeadLetters.SOURCE_TIMESTAMP)).isEqualTo(Long.toString(T0.toEpochMilli()));
        assertThat(header(dead, DeadLetters.EXCEPTION_CLASS)).isNotEmpty();
        assertThat(header(dead, DeadLetters.DETAIL)).startsWith("not JSON");
        assertThat(masks.isEmpty()).isTrue();
    }

    @Test
    void shouldDeadLetterEveryKindOfMalformedInputAndKeepGoing() {
        // Given
        start();
        byte[] key = CAM.getBytes(StandardCharsets.UTF_8);
        byte[] schemaViolation = "{\"streamId\":\"cam-1\",\"seq\":-1}".getBytes(StandardCharsets.UTF_8);
        byte[] wrongSize = MessageCodec.FRAMES.encode(new FrameMessage(CAM, 1, 0, 32, 24, FrameEncoding.RGB24, new byte[10]));
        byte[] badJpeg = MessageCodec.FRAMES.encode(new FrameMessage(CAM, 2, 0, 32, 24, FrameEncoding.JPEG, new byte[] { 1, 2, 3, 4 }));
        byte[] jpegWrongSize = MessageCodec.FRAMES.encode(new FrameMessage(CAM, 3, 0, 32, 24, FrameEncoding.JPEG, TestStreams.jpeg(16, 16)));
        byte[] oversized = MessageCodec.FRAMES.encode(new FrameMessage(CAM, 4, 0, 5000, 1, FrameEncoding.RGB24, new byte[15000]));
        byte[] otherStream = MessageCodec.FRAMES.encode(frame("cam-9", 5));
        byte[] badAudio = "{\"streamId\":\"cam-1\",\"startMicros\":0,\"sampleRate\":44100,\"data\":\"AAAA\"}"
                .getBytes(StandardCharsets.UTF_8);

        // When
        rawFrames.pipeInput(key, schemaViolation);
        rawFrames.pipeInput(key, wrongSize);
        rawFrames.pipeInput(key, badJpeg);
        rawFrames.pipeInput(key, jpegWrongSize);
        rawFrames.pipeInput(key, oversized);
        rawFrames.pipeInput(key, otherStream);
        rawFrames.pipeInput(null, MessageCodec.FRAMES.encode(frame(CAM, 6)));
        rawFrames.pipeInput(new byte[] { (byte) 0xc3, (byte) 0x28 }, MessageCodec.FRAMES.encode(frame(CAM, 7)));
        rawAudio.pipeInput(key, badAudio);
        frames.pipeInput(CAM, frame(CAM, 0));
        for (int i = 0; i < 10; i++) {
            audio.pipeInput(CAM, chunk(CAM, i, true));
        }

        // Then each bad record is a dead letter with its reason and offset, and the good frame still flows
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(r -> header(r, DeadLetters.REASON) + "@" + header(r, DeadLetters.SOURCE_TOPIC) + "/"
                + header(r, DeadLetters.SOURCE_OFFSET)).containsExactly(
                        "SCHEMA_VIOLATION@avis.frames.v1/0",
                        "WRONG_SIZE@avis.frames.v1/1",
                        "BAD_IMAGE@avis.frames.v1/2",
                        "WRONG_SIZE@avis.frames.v1/3",
                        "OVERSIZED@avis.frames.v1/4",
                        "KEY_MISMATCH@avis.frames.v1/5",
                        "MISSING_KEY@avis.frames.v1/6",
                        "UNDECODABLE@avis.frames.v1/7",
                        "SCHEMA_VIOLATION@avis.audio.v1/0");
        assertThat(dead.get(1).value()).isEqualTo(wrongSize);
        assertThat(masks.readValuesToList()).extracting(MasksMessage::seq).containsExactly(0L);
    }

    @Test
    void shouldDeadLetterMalformedF32leAudioWithTheReasonAndJoinWellFormedF32le() {
        // Given: 6 bytes (not whole floats) and a NaN sample, then f32le audio covering frame 0's window
        start();
        byte[] key = CAM.getBytes(StandardCharsets.UTF_8);
        String head = "{\"streamId\":\"cam-1\",\"startMicros\":0,\"sampleRate\":16000,\"encoding\":\"f32le\",";
        byte[] partialFloat = (head + "\"data\":\"AAAAAAAA\"}").getBytes(StandardCharsets.UTF_8);
        byte[] nan = (head + "\"data\":\"AAAAAAAAwH8=\"}").getBytes(StandardCharsets.UTF_8);

        // When
        rawAudio.pipeInput(key, partialFloat);
        rawAudio.pipeInput(key, nan);
        frames.pipeInput(CAM, frame(CAM, 0));
        for (int i = 0; i < 10; i++) {
            double[] loud = new double[TestStreams.CHUNK_SAMPLES];
            for (int k = 0; k < loud.length; k++) {
                loud[k] = (k / 8) % 2 == 0 ? 0.25 : -0.25;
            }
            audio.pipeInput(CAM, AudioChunkMessage.of(CAM, i * TestStreams.CHUNK_MICROS, loud, AudioFormat.Encoding.F32LE));
        }

        // Then: two dead letters naming the problem, with their original bytes; the frame joins complete and loud
        List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
        assertThat(dead).extracting(r -> header(r, DeadLetters.REASON) + "/" + header(r, DeadLetters.STAGE) + ": "
                + header(r, DeadLetters.DETAIL)).containsExactly(
                        "SCHEMA_VIOLATION/ingress-audio: f32le PCM data needs a multiple of 4 bytes, got 6",
                        "SCHEMA_VIOLATION/ingress-audio: f32le sample 1 of 2 is NaN (samples must be finite)");
        assertThat(dead.get(1).value()).isEqualTo(nan);
        List<MasksMessage> out = masks.readValuesToList();
        assertThat(out).extracting(MasksMessage::audio).containsExactly("complete");
        assertThat(out.get(0).instances()).allMatch(InstanceMessage::sounding).isNotEmpty();
    }

    @Test
    void shouldDeadLetterLateDuplicateAndNonMonotonicFrames() {
        // Given frames 0..2 emitted (audio complete) and stream time at 3.0 s
        start();
        for (int i = 0; i < 12; i++) {
            audio.pipeInput(CAM, chunk(CAM, i, true));
        }
        for (int s = 0; s < 3; s++) {
            frames.pipeInput(CAM, frame(CAM, s));
        }
        frames.pipeInput(CAM, frame(CAM, 75));

        // When
        frames.pipeInput(CAM, frame(CAM, 1));                                              // behind emitted seq 2
        frames.pipeInput(CAM, frame(CAM, 2));                                              // = last emitted seq
        frames.pipeInput(CAM, frame(CAM, 75));                                             // already buffered
        frames.pipeInput(CAM, new FrameMessage(CAM, 10, 40_000, 32, 24, FrameEncoding.RGB24, frame(CAM, 10).data())); // pts <= emitted pts
        frames.pipeInput(CAM, new FrameMessage(CAM, 76, 2_900_000, 32, 24, FrameEncoding.RGB24, frame(CAM, 76).data())); // pts before buffered 75
        frames.pipeInput(CAM, frame(CAM, 20));                                             // 0.8 s < 3.0 s - 2 s

        // Then
        assertThat(dlq.readRecordsToList()).extracting(r -> header(r, DeadLetters.REASON) + "/" + header(r, DeadLetters.STAGE))
                .containsExactly("LATE_FRAME/av-join", "DUPLICATE_FRAME/av-join", "DUPLICATE_FRAME/av-join",
                        "NON_MONOTONIC_PTS/av-join", "NON_MONOTONIC_PTS/av-join", "LATE_FRAME/av-join");
        assertThat(masks.readValuesToList()).extracting(MasksMessage::seq).containsExactly(0L, 1L, 2L);
    }

    @Test
    void shouldDeadLetterAudioThatNoFrameCanUseAnyMore() {
        // Given stream time 5 s, audio read at [3.0 s, 3.1 s) and nothing buffered before it
        start();
        audio.pipeInput(CAM, chunk(CAM, 30, true));
        frames.pipeInput(CAM, frame(CAM, 0));
        frames.pipeInput(CAM, frame(CAM, 125));

        // When a chunk for [0, 100 ms) arrives (frame 0 was already emitted with missing audio)
        audio.pipeInput(CAM, chunk(CAM, 0, true));

        // Then
        assertThat(dlq.readRecordsToList()).extracting(r -> header(r, DeadLetters.REASON)).containsExactly("LATE_AUDIO");
        assertThat(masks.readValuesToList()).extracting(MasksMessage::audio).containsExactly("missing");
    }

    @Test
    void shouldEmitTheOldestFrameWhenTooManyAreBuffered() {
        // Given at most 3 buffered frames and no audio
        start(TopologySettings.defaults().withMaxPendingFrames(3));

        // When 5 frames arrive within the grace period
        for (int s = 0; s < 5; s++) {
            frames.pipeInput(CAM, frame(CAM, s));
        }

        // Then the oldest two were pushed out, in order
        assertThat(masks.readValuesToList()).extracting(MasksMessage::seq, MasksMessage::audio).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0L, "missing"), org.assertj.core.groups.Tuple.tuple(1L, "missing"));
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        return DeadLetters.header(record.headers(), name);
    }

    private static byte[] maskOf(FrameMessage frame) {
        byte[] mask = new byte[frame.width() * frame.height()];
        for (int p = 0; p < mask.length; p++) {
            mask[p] = (byte) (frame.data()[3 * p] != 0 ? 1 : 0);
        }
        return mask;
    }
}
