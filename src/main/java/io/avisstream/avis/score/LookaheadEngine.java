package io.avisstream.avis.score;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import io.avisstream.avis.engine.AcvisEngine;
import io.avisstream.avis.engine.Engine;
import io.avisstream.avis.engine.EngineInfo;
import io.avisstream.avis.engine.FrameFeatures;
import io.avisstream.avis.engine.FrameRequest;
import io.avisstream.avis.engine.StreamWindow;
import io.avisstream.avis.engine.WindowDetections;
import io.avisstream.avis.engine.WindowRequest;
import io.avisstream.avis.media.FrameDetections;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.topology.ListeningClock;
import io.avisstream.avis.topology.TopologySettings;

/**
 * Look-ahead L for the live topology (streaming-design §2), as an engine around {@link AcvisEngine}: when the
 * topology infers frame t + L, this engine runs the per-frame stage on it, the video stage over the window ending at
 * t + L, and returns the detections of frame t (whose mask features it kept in memory). So frame t's masks are
 * emitted L inferred frames later, on the record of frame t + L; {@link #realign} puts them back on frame t's
 * record, {@link #drain} pushes the last L frames of a finished stream through the topology.
 *
 * <p>The service has no look-ahead option; this is the evaluation's implementation. The kept mask features are
 * in memory only (not in the tracker store), so it is for one process that sees a stream from start to end.
 */
final class LookaheadEngine implements Engine {
    private final AcvisEngine engine;
    private final int lookahead;
    private final Map<String, Deque<FrameFeatures>> pending = new HashMap<>();
    private final Map<String, StreamWindow> lastWindow = new HashMap<>();
    private final Map<String, FrameFeatures> lastFrame = new HashMap<>();
    private boolean draining;

    LookaheadEngine(Engine engine, int lookahead) {
        if (!(engine instanceof AcvisEngine acvis)) {
            throw new IllegalArgumentException("look-ahead needs the ACVIS engine, got " + engine.info().name());
        }
        this.engine = acvis;
        this.lookahead = lookahead;
    }

    @Override
    public EngineInfo info() {
        return engine.info();
    }

    @Override
    public List<FrameFeatures> encodeFrames(List<FrameRequest> batch) {
        return engine.encodeFrames(batch);
    }

    @Override
    public List<FrameDetections> decodeWindows(List<WindowRequest> batch) {
        return engine.decodeWindows(batch);
    }

    @Override
    public WindowDetections detect(FrameRequest frame, StreamWindow window) {
        String stream = frame.streamId();
        Deque<FrameFeatures> queue = pending.computeIfAbsent(stream, s -> new ArrayDeque<>());
        if (draining) {
            // a drain frame: no new frame enters the window; the oldest pending frame is decoded from the last window
            FrameFeatures target = queue.pollFirst();
            if (target == null) {
                return new WindowDetections(new FrameDetections(stream, frame.seq(), List.of(), null), window);
            }
            FrameDetections d = engine.decodeWindowFor(lastWindow.get(stream).request(lastFrame.get(stream)), target);
            return new WindowDetections(new FrameDetections(stream, frame.seq(), d.detections(),
                    d.soundingCountProbabilities()), window);
        }
        FrameFeatures features = engine.encodeFrames(List.of(frame)).get(0);
        queue.addLast(features);
        lastWindow.put(stream, window);
        lastFrame.put(stream, features);
        StreamWindow next = window.append(features, engine.info().windowFrames());
        if (queue.size() <= lookahead) {
            return new WindowDetections(new FrameDetections(stream, frame.seq(), List.of(), null), next);
        }
        FrameDetections d = engine.decodeWindowFor(window.request(features), queue.pollFirst());
        return new WindowDetections(new FrameDetections(stream, frame.seq(), d.detections(),
                d.soundingCountProbabilities()), next);
    }

    /**
     * After the stream's last frame: L more frames through the topology (copies of the last one, 1 s apart, no
     * audio), each of which emits the next pending frame's detections.
     */
    void drain(String stream, TestInputTopic<String, FrameMessage> frames, TopologyTestDriver driver,
            TopologySettings settings, FrameMessage last) {
        draining = true;
        long period = settings.samplingPeriodMicros();
        for (int i = 1; i <= lookahead; i++) {
            frames.pipeInput(stream, new FrameMessage(stream, last.seq() + i, last.ptsMicros() + i * period, last.width(),
                    last.height(), last.encoding(), last.data()));
        }
        ListeningClock.letTimePass(driver, settings, settings.idleFlush().plus(Duration.ofSeconds(1)));
        draining = false;
    }

    /**
     * The records with each inferred record's instances moved back L inferred records (to the frame they belong to);
     * the last L records (the drain frames) are dropped. L = 0: unchanged.
     */
    static List<MasksMessage> realign(List<MasksMessage> records, int lookahead) {
        if (lookahead == 0) {
            return records;
        }
        List<MasksMessage> out = new ArrayList<>();
        for (int i = 0; i + lookahead < records.size(); i++) {
            MasksMessage at = records.get(i);
            MasksMessage from = records.get(i + lookahead);
            out.add(new MasksMessage(at.streamId(), at.seq(), at.ptsMicros(), at.width(), at.height(), at.audio(),
                    at.inferred(), at.sourceSeq(), at.engine(), from.instances()));
        }
        return out;
    }

    @Override
    public void close() {
        // the wrapped engine belongs to the caller
    }
}
