package io.avisstream.avis.topology;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import io.avisstream.avis.media.AudioWindow;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.AudioCoverage;
import io.avisstream.avis.message.AudioFormat;
import io.avisstream.avis.message.DlqReason;
import io.avisstream.avis.topology.JoinStateCodec.PendingFrame;
import io.avisstream.avis.topology.JoinStateCodec.StreamClock;

/**
 * The audio-video join. Each frame at pts t gets the PCM of [t, t + {@link AudioFormat#WINDOW_SAMPLES} samples) (the
 * alignment the model was trained with). Exactly one joined record per accepted frame, in per-stream seq order:
 *
 * <ul>
 * <li>the oldest buffered frame of a stream is emitted as soon as its window is covered ({@code COMPLETE}), or
 * when the stream's time (its newest frame pts) passes t + window + grace and its audio is not merely unread (see
 * below), or when the stream has been idle for {@code idle-flush} of wall-clock time, or when more than
 * {@code max-pending-frames} are buffered; then with {@code PARTIAL} (gaps zero-filled) or {@code MISSING}
 * audio;</li>
 * <li>frames behind an emitted frame, older than stream time - grace, duplicated, or whose pts does not increase
 * with seq go to the dead-letter topic; so do audio chunks that end before every frame that could still use
 * them.</li>
 * </ul>
 *
 * <p>Stream time alone cannot tell missing audio from audio not read yet. Frames and audio are two partitions of one
 * task, and Kafka Streams orders them by timestamp only at best: it hands a task one partition's records alone when
 * the other's buffer is empty and its lag reads 0, which it does while that partition's fetched records wait in the
 * consumer behind the other's ({@code max.poll.records}; the consumer updates a partition's end offset only when it
 * returns its records), and at once when the task had been idle for {@code max.task.idle.ms} before (the idle
 * deadline is not reset). A burst of frames then runs stream time seconds past audio that was written before them.
 * So grace expiry also needs one of: the stream's audio has reached the end of the frame's window (the gap is
 * real), or the stream has sent no audio for {@code idle-flush} of listened time ({@link ListeningClock}: the thread
 * was free to read it) while frames waited. A stream whose audio stopped still has its frames emitted, about
 * {@code idle-flush} after its last chunk; {@code max-pending-frames} bounds the buffer meanwhile.
 *
 * <p>State is per stream in three changelogged key-value stores: buffered frames (key: stream + seq), audio chunks
 * (key: stream + start micros) and the stream clock. Key-value rather than window stores because window-store
 * retention follows one task-wide stream time, while every stream here has its own pts clock; retention is
 * explicit instead: emitted frames are deleted, audio is pruned behind min(oldest buffered frame, stream time -
 * grace) and behind newest audio - audio-retention.
 */
final class AvJoinProcessor implements Processor<String, Object, Object, Object> {
    static final String STAGE = "av-join";
    private static final Logger LOG = Logger.getLogger(AvJoinProcessor.class);
    static final long WINDOW_MICROS = AudioFormat.samplesToMicros(AudioFormat.WINDOW_SAMPLES);

    private final TopologySettings settings;
    private final PipelineObserver observer;
    private final DeadLetterRouting deadLetters;
    private final long graceMicros;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<Bytes, byte[]> frames;
    private KeyValueStore<Bytes, byte[]> audio;
    private KeyValueStore<String, byte[]> clocks;
    /**
     * Per waiting stream: the {@link #listening} time at its last record, seen by THIS processor instance.
     * Deliberately not stored: after a restart or a rebalance, idleness is measured from records of the current
     * incarnation (and from its first processing loop for streams that have buffered frames but no record yet), never
     * from a time saved before the downtime, so the records already written while the instance was down are read
     * before an idle flush can fire and the output is the one a failure-free run gives.
     */
    private final Map<String, Long> lastSeen = new HashMap<>();
    /**
     * Per waiting stream: the {@link #listening} time at its last audio chunk, or at its first frame since it began
     * waiting if no chunk came since; in memory, like {@link #lastSeen} (absent after a restart: the incarnation's
     * start).
     */
    private final Map<String, Long> audioSince = new HashMap<>();
    /** {@link #listening} at the current record or punctuation. */
    private long listened;
    /** Time this processor's thread was free to read records: neither busy nor stalled (see {@link ListeningClock}). */
    private ListeningClock listening;
    /** {@link #listening} at this incarnation's first record or punctuation, not its init: restoring other tasks is not idleness. */
    private Long started;

    AvJoinProcessor(TopologySettings settings, PipelineObserver observer, DeadLetterRouting deadLetters) {
        this.settings = settings;
        this.observer = observer;
        this.deadLetters = deadLetters;
        this.graceMicros = settings.grace().toNanos() / 1000;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.frames = context.getStateStore(TopologyNames.JOIN_FRAMES_STORE);
        this.audio = context.getStateStore(TopologyNames.JOIN_AUDIO_STORE);
        this.clocks = context.getStateStore(TopologyNames.JOIN_CLOCK_STORE);
        // Processors are initialised once the task's stores are restored; the thread may still restore other tasks
        // before it processes any: idleness counts from this incarnation's first record or punctuation.
        this.started = null;
        this.lastSeen.clear();
        this.audioSince.clear();
        Duration every = ListeningClock.punctuationInterval(settings);
        this.listening = ListeningClock.forPunctuation(every.toMillis());
        context.schedule(every, PunctuationType.WALL_CLOCK_TIME, this::flushIdleStreams);
    }

    @Override
    public void process(Record<String, Object> record) {
        long now = context.currentSystemTimeMs();
        String stream = record.key();
        long seen = listening.advance(now, ThreadBusy.millis());
        listened = seen;
        if (started == null) {
            started = seen;
        }
        lastSeen.put(stream, seen);
        if (record.value() instanceof DecodedAudio) {
            audioSince.put(stream, seen);
        } else {
            audioSince.putIfAbsent(stream, seen);
        }
        StreamClock clock = loadClock(stream, now).withActivity(now);
        if (record.value() instanceof DecodedFrame frame) {
            clock = onFrame(record, stream, clock, frame);
        } else if (record.value() instanceof DecodedAudio chunk) {
            clock = onAudio(record, stream, clock, chunk);
        } else {
            throw new IllegalStateException("unexpected join input " + record.value());
        }
        clocks.put(stream, JoinStateCodec.encodeClock(clock));
        if (clock.pendingFrames() == 0) {
            // nothing to flush: keeps the maps as small as the set of waiting streams
            lastSeen.remove(stream);
            audioSince.remove(stream);
        }
    }

    private StreamClock onFrame(Record<String, Object> record, String stream, StreamClock clock, DecodedFrame in) {
        long seq = in.frame().seq();
        long pts = in.frame().ptsMicros();
        String problem = null;
        DlqReason reason = null;
        if (seq <= clock.lastEmittedSeq()) {
            reason = seq == clock.lastEmittedSeq() ? DlqReason.DUPLICATE_FRAME : DlqReason.LATE_FRAME;
            problem = "seq " + seq + " is not after the last emitted seq " + clock.lastEmittedSeq();
        } else if (frames.get(StoreKeys.key(stream, seq)) != null) {
            reason = DlqReason.DUPLICATE_FRAME;
            problem = "seq " + seq + " is already buffered";
        } else if (pts <= clock.lastEmittedPts()) {
            reason = DlqReason.NON_MONOTONIC_PTS;
            problem = "pts " + pts + " is not after the last emitted pts " + clock.lastEmittedPts();
        } else if (clock.streamTime() != Long.MIN_VALUE && pts + graceMicros < clock.streamTime()) {
            reason = DlqReason.LATE_FRAME;
            problem = "pts " + pts + " is older than stream time " + clock.streamTime() + " - grace " + graceMicros;
        } else {
            problem = neighbourProblem(stream, seq, pts);
            reason = problem == null ? null : DlqReason.NON_MONOTONIC_PTS;
        }
        if (reason != null) {
            deadLetters.reject(context, observer, record, in.rawKey(), in.rawValue(), reason, problem, STAGE, null);
            return clock;
        }
        frames.put(StoreKeys.key(stream, seq), JoinStateCodec.encodeFrame(in.frame(), record.timestamp()));
        return drain(stream, clock.withFrame(pts), false);
    }

    /** A buffered neighbour whose pts contradicts the seq order, or null. */
    private String neighbourProblem(String stream, long seq, long pts) {
        try (KeyValueIterator<Bytes, byte[]> before = frames.reverseRange(StoreKeys.first(stream),
                StoreKeys.key(stream, seq - 1))) {
            if (before.hasNext()) {
                KeyValue<Bytes, byte[]> kv = before.next();
                if (JoinStateCodec.framePts(kv.value) >= pts) {
                    return "pts " + pts + " is not after buffered seq " + StoreKeys.n(kv.key);
                }
            }
        }
        try (KeyValueIterator<Bytes, byte[]> after = frames.range(StoreKeys.key(stream, seq + 1), StoreKeys.last(stream))) {
            if (after.hasNext()) {
                KeyValue<Bytes, byte[]> kv = after.next();
                if (JoinStateCodec.framePts(kv.value) <= pts) {
                    return "pts " + pts + " is not before buffered seq " + StoreKeys.n(kv.key);
                }
            }
        }
        return null;
    }

    private StreamClock onAudio(Record<String, Object> record, String stream, StreamClock clock, DecodedAudio in) {
        AudioChunkMessage chunk = in.chunk();
        long end = chunk.endMicros();
        long horizon = clock.streamTime() == Long.MIN_VALUE ? Long.MIN_VALUE : clock.streamTime() - graceMicros;
        long oldestPending = oldestPendingPts(stream);
        if (end <= horizon && end <= oldestPending) {
            deadLetters.reject(context, observer, record, in.rawKey(), in.rawValue(), DlqReason.LATE_AUDIO, "audio ["
                    + chunk.startMicros() + ", " + end + ") ends before stream time " + clock.streamTime()
                    + " - grace and before every buffered frame", STAGE, null);
            return clock;
        }
        audio.put(StoreKeys.key(stream, chunk.startMicros()),
                JoinStateCodec.encodeAudio(chunk.startMicros(), chunk.encoding(), chunk.data()));
        return drain(stream, clock.withAudio(end), false);
    }

    /** Emits the stream's buffered frames from the oldest while they are ready; then prunes audio. */
    private StreamClock drain(String stream, StreamClock clock, boolean flush) {
        while (true) {
            KeyValue<Bytes, byte[]> head;
            try (KeyValueIterator<Bytes, byte[]> it = frames.range(StoreKeys.first(stream), StoreKeys.last(stream))) {
                head = it.hasNext() ? it.next() : null;
            }
            if (head == null) {
                break;
            }
            long pts = JoinStateCodec.framePts(head.value);
            AudioWindow window = assemble(stream, pts);
            boolean expired = clock.streamTime() != Long.MIN_VALUE
                    && clock.streamTime() >= pts + WINDOW_MICROS + graceMicros
                    && (clock.audioTime() >= pts + WINDOW_MICROS || audioSilent(stream));
            boolean overfull = clock.pendingFrames() > settings.maxPendingFrames();
            if (!(window.coverage() == AudioCoverage.COMPLETE || expired || flush || overfull)) {
                break;
            }
            PendingFrame pending = JoinStateCodec.decodeFrame(stream, head.value);
            frames.delete(head.key);
            clock = clock.emitted(pending.frame().seq(), pts);
            LOG.tracef("joined stream=%s seq=%d pts=%d audio=%s", stream, pending.frame().seq(), pts, window.coverage());
            context.forward(new Record<Object, Object>(stream,
                    new JoinedFrame(pending.frame(), window),
                    pending.recordTimestamp()), TopologyNames.INFER);
            observer.joined(stream, window.coverage(), context.currentSystemTimeMs() - pending.recordTimestamp());
        }
        pruneAudio(stream, clock);
        return clock;
    }

    /** The frame's window from the stream's stored chunks ({@link AudioWindow.Cutter}, as {@code mel} does). */
    private AudioWindow assemble(String stream, long pts) {
        AudioWindow.Cutter window = AudioWindow.at(pts);
        try (KeyValueIterator<Bytes, byte[]> it = audio.range(StoreKeys.first(stream),
                StoreKeys.key(stream, pts + WINDOW_MICROS - 1))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                long start = StoreKeys.n(kv.key);
                if (window.overlaps(start, JoinStateCodec.audioSampleCount(kv.value))) {
                    window.add(start, JoinStateCodec.audioSamples(kv.value));
                }
            }
        }
        return window.cut();
    }

    private void pruneAudio(String stream, StreamClock clock) {
        long horizon = clock.streamTime() == Long.MIN_VALUE ? Long.MIN_VALUE
                : Math.min(oldestPendingPts(stream), clock.streamTime() - graceMicros);
        long retention = settings.audioRetention().toNanos() / 1000;
        if (clock.audioTime() != Long.MIN_VALUE) {
            horizon = Math.max(horizon, clock.audioTime() - retention);
        }
        if (horizon == Long.MIN_VALUE) {
            return;
        }
        List<Bytes> expired = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = audio.range(StoreKeys.first(stream), StoreKeys.key(stream, horizon))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                long end = StoreKeys.n(kv.key) + AudioFormat.samplesToMicros(JoinStateCodec.audioSampleCount(kv.value));
                if (end <= horizon) {
                    expired.add(kv.key);
                }
            }
        }
        expired.forEach(audio::delete);
    }

    /** No audio of the stream for idle-flush of listened time while its frames wait (class comment). */
    private boolean audioSilent(String stream) {
        long since = audioSince.getOrDefault(stream, started == null ? listened : started);
        return listened - since >= settings.idleFlush().toMillis();
    }

    private long oldestPendingPts(String stream) {
        try (KeyValueIterator<Bytes, byte[]> it = frames.range(StoreKeys.first(stream), StoreKeys.last(stream))) {
            return it.hasNext() ? JoinStateCodec.framePts(it.next().value) : Long.MAX_VALUE;
        }
    }

    private StreamClock loadClock(String stream, long now) {
        byte[] bytes = clocks.get(stream);
        return bytes == null ? StreamClock.initial(now) : JoinStateCodec.decodeClock(bytes);
    }

    /**
     * Wall-clock punctuation: a stream without records for idle-flush (in this incarnation, see {@link #lastSeen}:
     * time the thread spent listening, not working on other records nor stalled) gets its buffered frames emitted. The stored
     * {@code lastActivityWallMs} is not used for this decision. A stream that still sends frames but whose audio has
     * been silent as long gets the frames that stream time has expired emitted ({@link #drain}).
     */
    private void flushIdleStreams(long now) {
        long t0 = System.nanoTime();
        try {
            flushIdleStreamsTimed(now);
        } finally {
            ThreadBusy.add(System.nanoTime() - t0);
        }
    }

    private void flushIdleStreamsTimed(long now) {
        listened = listening.advance(now, ThreadBusy.millis());
        if (started == null) {
            started = listened;
        }
        List<KeyValue<String, StreamClock>> idle = new ArrayList<>();
        List<KeyValue<String, StreamClock>> audioSilent = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = clocks.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                StreamClock clock = JoinStateCodec.decodeClock(kv.value);
                long since = lastSeen.getOrDefault(kv.key, started);
                if (clock.pendingFrames() == 0) {
                    continue;
                }
                if (listened - since >= settings.idleFlush().toMillis()) {
                    idle.add(KeyValue.pair(kv.key, clock));
                } else if (audioSilent(kv.key)) {
                    audioSilent.add(KeyValue.pair(kv.key, clock));
                }
            }
        }
        for (KeyValue<String, StreamClock> kv : idle) {
            LOG.debugf("idle flush stream=%s pending=%d: listened %d ms since its last record", kv.key,
                    kv.value.pendingFrames(), listened - lastSeen.getOrDefault(kv.key, started));
            clocks.put(kv.key, JoinStateCodec.encodeClock(drain(kv.key, kv.value, true)));
            lastSeen.remove(kv.key);
            audioSince.remove(kv.key);
        }
        for (KeyValue<String, StreamClock> kv : audioSilent) {
            StreamClock drained = drain(kv.key, kv.value, false);
            if (drained.pendingFrames() != kv.value.pendingFrames()) {
                LOG.debugf("stream=%s: %d frames expired after %d ms listened without its audio", kv.key,
                        kv.value.pendingFrames() - drained.pendingFrames(), listened - audioSince.getOrDefault(kv.key, started));
                clocks.put(kv.key, JoinStateCodec.encodeClock(drained));
                if (drained.pendingFrames() == 0) {
                    lastSeen.remove(kv.key);
                    audioSince.remove(kv.key);
                }
            }
        }
    }
}
