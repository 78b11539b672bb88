package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.TestStreams.chunk;
import static io.avisstream.avis.topology.TestStreams.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.topology.contract.TopicContract;

/**
 * A crash must not change what the join emits: the same inputs give the same joined records (seq, audio flag and
 * PCM) whether the join runs straight through or is restarted on its stored state after a long downtime, during
 * which the rest of the audio was written. Each incarnation is a new {@link AvJoinProcessor} on the same stores
 * (what a restart on a restored state directory is), on a mock context whose wall clock the test drives.
 */
class JoinRestartDeterminismTest {
    private static final String CAM = "cam-d";
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    private static final TopologySettings SETTINGS = TopologySettings.defaults();
    private static final DeadLetterRouting DLQ = new DeadLetterRouting(TopicContract.bundled().dlq().maxMessageBytes());

    /** The stores one task owns; they outlive processor instances like a restored state directory. */
    private static final class Stores3 {
        final List<KeyValueStore<?, ?>> all = new ArrayList<>();

        Stores3(MockProcessorContext<Object, Object> first) {
            all.add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TopologyNames.JOIN_FRAMES_STORE),
                    Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build());
            all.add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TopologyNames.JOIN_AUDIO_STORE),
                    Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().build());
            all.add(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(TopologyNames.JOIN_CLOCK_STORE),
                    Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build());
            all.forEach(s -> s.init(first.getStateStoreContext(), s));
        }

        void attach(MockProcessorContext<Object, Object> context) {
            all.forEach(context::addStateStore);
        }
    }

    /** One incarnation of the join: a fresh processor (fresh memory) on the given stores. */
    private static final class Incarnation {
        final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        final AvJoinProcessor join = new AvJoinProcessor(SETTINGS, PipelineObserver.NONE, DLQ);

        Incarnation(long nowMs, Stores3 stores) {
            lastMs = nowMs;
            context.setCurrentSystemTimeMs(nowMs);
            stores.attach(context);
            join.init(context);
        }

        void frame(FrameMessage f, long nowMs) {
            lastMs = nowMs;
            context.setCurrentSystemTimeMs(nowMs);
            join.process(new Record<String, Object>(CAM, new DecodedFrame(f, new byte[0], new byte[0]), nowMs));
        }

        void audio(AudioChunkMessage a, long nowMs) {
            lastMs = nowMs;
            context.setCurrentSystemTimeMs(nowMs);
            join.process(new Record<String, Object>(CAM, new DecodedAudio(a, new byte[0], new byte[0]), nowMs));
        }

        long lastMs;

        /** One run of the wall-clock punctuator at {@code nowMs}, as Streams runs it between records. */
        void tick(long nowMs) {
            lastMs = nowMs;
            context.setCurrentSystemTimeMs(nowMs);
            context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(nowMs));
        }

        /** A free thread waiting for input until {@code untilMs}: the punctuator at every interval. */
        void listen(long untilMs) {
            long every = context.scheduledPunctuators().get(0).getInterval().toMillis();
            for (long t = lastMs + every; t < untilMs; t += every) {
                tick(t);
            }
            tick(untilMs);
        }

        List<String> joined() {
            return context.forwarded(TopologyNames.INFER).stream().map(f -> describe((JoinedFrame) f.record().value()))
                    .toList();
        }
    }

    private static String describe(JoinedFrame j) {
        return j.frame().seq() + ":" + j.audio().coverage() + ":" + Arrays.hashCode(j.audio().pcm());
    }

    @Test
    void shouldJoinTheSameRecordsWhetherOrNotTheInstanceRestartedAfterALongDowntime() {
        // Given 10 frames (0.36 s) and the first 4 audio chunks (0.4 s), then the rest of the audio (1.4 s in all)
        List<FrameMessage> frames = new ArrayList<>();
        for (long s = 0; s < 10; s++) {
            frames.add(frame(CAM, s));
        }
        List<AudioChunkMessage> early = new ArrayList<>();
        List<AudioChunkMessage> late = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            (i < 4 ? early : late).add(chunk(CAM, i, true));
        }

        // When run straight through: the late audio arrives 100 ms after the frames
        Incarnation straight = new Incarnation(T0, new Stores3(new MockProcessorContext<>()));
        long t = T0;
        for (FrameMessage f : frames) {
            straight.frame(f, t += 5);
        }
        for (AudioChunkMessage a : early) {
            straight.audio(a, t += 5);
        }
        straight.tick(t += 100);
        for (AudioChunkMessage a : late) {
            straight.audio(a, t += 5);
        }
        straight.tick(t += 60_000);
        List<String> expected = straight.joined();

        // And when the instance dies after the early audio and comes back 60 s later on its stored state, the late
        // audio having been written meanwhile: the restarted task's first punctuation may come before its records
        MockProcessorContext<Object, Object> firstContext = new MockProcessorContext<>();
        Stores3 stores = new Stores3(firstContext);
        Incarnation before = new Incarnation(T0, stores);
        t = T0;
        for (FrameMessage f : frames) {
            before.frame(f, t += 5);
        }
        for (AudioChunkMessage a : early) {
            before.audio(a, t += 5);
        }
        List<String> emittedBeforeCrash = before.joined();
        long restart = t + 60_000;
        Incarnation after = new Incarnation(restart, stores);
        after.tick(restart + 250);
        after.tick(restart + 1_000);
        t = restart + 1_000;
        for (AudioChunkMessage a : late) {
            after.audio(a, t += 5);
        }
        after.tick(t += 60_000);
        List<String> withCrash = new ArrayList<>(emittedBeforeCrash);
        withCrash.addAll(after.joined());

        // Then the same joined records, record by record: all complete (the failure-free result)
        assertThat(expected).hasSize(10).allSatisfy(s -> assertThat(s).contains(":COMPLETE:"));
        assertThat(withCrash).containsExactlyElementsOf(expected);
    }

    @Test
    void shouldNotFlushAStreamWhoseRecordsWaitWhileTheThreadWorksOnAnotherTask() {
        // Given a frame buffered without its full audio when the instance died; the rest of the audio was written
        Stores3 stores = new Stores3(new MockProcessorContext<>());
        Incarnation before = new Incarnation(T0, stores);
        before.frame(frame(CAM, 0), T0 + 5);
        for (int i = 0; i < 4; i++) {
            before.audio(chunk(CAM, i, true), T0 + 10 + i);
        }

        // When the restarted task has waited 10 s (restoring other tasks, then the thread busy with another task's
        // backlog for 8 s, punctuating between its records) before it reads its own records
        long restart = T0 + 600_000;
        Incarnation after = new Incarnation(restart, stores);
        after.tick(restart + 2_000);
        for (int s = 1; s <= 8; s++) {
            ThreadBusy.add(1_000_000_000L);
            after.tick(restart + 2_000 + s * 1_000);
        }
        List<String> whileBusy = after.joined();
        long t = restart + 10_000;
        for (int i = 4; i < 12; i++) {
            after.audio(chunk(CAM, i, true), t += 5);
        }

        // Then nothing was flushed while the thread was busy, and the frame comes out complete, as without a crash
        assertThat(whileBusy).isEmpty();
        assertThat(after.joined()).hasSize(1).allSatisfy(s -> assertThat(s).startsWith("0:COMPLETE:"));
    }

    @Test
    void shouldStillFlushARestoredStreamThatGetsNoMoreRecordsAfterIdleFlush() {
        // Given a frame buffered without its audio when the instance died (the stream had ended)
        Stores3 stores = new Stores3(new MockProcessorContext<>());
        Incarnation before = new Incarnation(T0, stores);
        before.frame(frame(CAM, 0), T0 + 5);
        before.audio(chunk(CAM, 0, true), T0 + 10);

        // When the restarted instance sees no record of that stream: its first loop, then ticks before and after
        // idle-flush (3 s)
        long restart = T0 + 600_000;
        Incarnation after = new Incarnation(restart, stores);
        after.tick(restart + 250);
        after.listen(restart + 3_000);
        List<String> early = after.joined();
        // (3.5 s, not 3.25 s: listened time is wall time minus the thread's busy time, and a busy millisecond at
        // exactly idle-flush would decide the outcome)
        after.listen(restart + 3_500);

        // Then the frame is emitted once, idle-flush after the restarted task first ran, with the audio it has
        assertThat(early).isEmpty();
        assertThat(after.joined()).hasSize(1).allSatisfy(s -> assertThat(s).startsWith("0:PARTIAL:"));
    }

    @Test
    void shouldNotCountAStalledThreadAsListening() {
        // Given a frame waiting for the rest of its audio, which is already written
        Stores3 stores = new Stores3(new MockProcessorContext<>());
        Incarnation join = new Incarnation(T0, stores);
        join.frame(frame(CAM, 0), T0 + 5);
        for (int i = 0; i < 4; i++) {
            join.audio(chunk(CAM, i, true), T0 + 10 + i);
        }
        join.listen(T0 + 1_000);

        // When the thread stalls for 6 s (a slow commit, a rebalance in poll, a GC pause: neither processing nor
        // polling) and punctuates once after it, then reads the audio
        join.tick(T0 + 7_000);
        List<String> afterStall = join.joined();
        long t = T0 + 7_000;
        for (int i = 4; i < 12; i++) {
            join.audio(chunk(CAM, i, true), t += 5);
        }

        // Then the stall flushed nothing (6 s > idle-flush of wall time, but ~2 s listened) and the frame is complete
        assertThat(afterStall).isEmpty();
        assertThat(join.joined()).hasSize(1).allSatisfy(s -> assertThat(s).startsWith("0:COMPLETE:"));
    }

    @Test
    void shouldFlushAfterIdleFlushOfListeningEvenIfAStallCameFirst() {
        // Given a frame whose stream then ends, and a stall of 6 s right after it
        Stores3 stores = new Stores3(new MockProcessorContext<>());
        Incarnation join = new Incarnation(T0, stores);
        join.frame(frame(CAM, 0), T0 + 5);
        join.audio(chunk(CAM, 0, true), T0 + 10);
        join.tick(T0 + 6_000);
        List<String> afterStall = join.joined();

        // When the thread then listens for idle-flush (3 s)
        join.listen(T0 + 7_500);
        List<String> early = join.joined();
        join.listen(T0 + 9_000);

        // Then the frame comes out once, partial, only after 3 s listened
        assertThat(afterStall).isEmpty();
        assertThat(early).isEmpty();
        assertThat(join.joined()).hasSize(1).allSatisfy(s -> assertThat(s).startsWith("0:PARTIAL:"));
    }
}
