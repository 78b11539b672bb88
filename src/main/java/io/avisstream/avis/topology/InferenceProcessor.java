package io.avisstream.avis.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.jboss.logging.Logger;

import io.avisstream.avis.engine.Engine;
import io.avisstream.avis.engine.FrameRequest;
import io.avisstream.avis.engine.WindowDetections;
import io.avisstream.avis.media.CocoRle;
import io.avisstream.avis.media.Detection;
import io.avisstream.avis.media.FrameImages;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.Json;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.tracking.LinkedInstance;
import io.avisstream.avis.tracking.Tracker;

/**
 * Inference + tracker step. Sampled frames ({@link SamplingClock}, {@code avis.inference.fps}) run the engine on the
 * frame and the stream's window ({@link Engine#detect}), then the tracker on its detections; every other
 * frame gets the last inferred frame's instances with {@code inferred=false}: with masks computed on its own pixels
 * on the {@code avis.inference.mask-fps} grid ({@link FreshMasks}), else the newest masks copied. The first frame of a
 * stream is always sampled, so every frame has a source. The engine runs synchronously: a commit never covers a
 * frame whose inference has not finished.
 */
final class InferenceProcessor implements Processor<String, Object, Object, Object> {
    private static final Logger LOG = Logger.getLogger(InferenceProcessor.class);

    private final Engine engine;
    private final TopologySettings settings;
    private final Tracker tracker;
    private final String engineName;
    private final PipelineObserver observer;
    /** Largest masks record value the masks topic takes (MasksFit). */
    private final int masksBudget;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> trackerStore;
    private KeyValueStore<String, byte[]> lastMasksStore;
    private final FreshMasks freshMasks;
    /**
     * Read-through cache of the last-masks store (this task's streams): the newest record whose masks were computed
     * on its own frame (inferred or fresh), which copies repeat.
     */
    private final java.util.Map<String, MasksMessage> lastMasks = new java.util.HashMap<>();

    InferenceProcessor(Engine engine, TopologySettings settings, PipelineObserver observer, int masksBudget) {
        this.engine = engine;
        this.masksBudget = masksBudget;
        this.observer = observer;
        this.settings = settings;
        this.engineName = engine.info().name();
        this.tracker = new Tracker(settings.minSimilarity(), settings.maxAge(), settings.duplicateIou(),
                settings.soundingRule());
        this.freshMasks = new FreshMasks(engine);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.trackerStore = context.getStateStore(TopologyNames.TRACKER_STORE);
        this.lastMasksStore = context.getStateStore(TopologyNames.LAST_MASKS_STORE);
    }

    @Override
    public void process(Record<String, Object> record) {
        JoinedFrame joined = (JoinedFrame) record.value();
        String stream = record.key();
        FrameMessage frame = joined.frame();
        InferenceState state = InferenceStateCodec.decode(trackerStore.get(stream));
        Optional<SamplingClock> sampled = state.clock().sample(frame.ptsMicros(), settings.samplingPeriodMicros());
        MasksMessage masks;
        int liveTracks = -1;
        if (sampled.isPresent()) {
            Inferred inferred = infer(stream, frame, joined, state, sampled.get());
            masks = inferred.masks();
            liveTracks = inferred.liveTracks();
            remember(stream, masks);
        } else {
            masks = between(stream, frame, joined, state);
        }
        context.forward(record.withValue((Object) masks), TopologyNames.MASKS_SINK);
        context.forward(record.withValue((Object) masks), TopologyNames.EVENTS);
        observer.masksOut(frame, masks, liveTracks);
    }

    private record Inferred(MasksMessage masks, int liveTracks) {
    }

    /** The engine on the frame and the stream's window, then the tracker on its detections. */
    private Inferred infer(String stream, FrameMessage frame, JoinedFrame joined, InferenceState state,
            SamplingClock clock) {
        FrameRequest request = new FrameRequest(stream, frame.seq(), frame.ptsMicros(), FrameImages.decode(frame),
                joined.audio());
        WindowDetections detected = engine.detect(request, state.window());
        Tracker.Step step = tracker.step(state.tracker(), detected.detections());
        trackerStore.put(stream, InferenceStateCodec.encode(new InferenceState(clock, detected.window(), step.state(),
                maskSource(frame.seq(), step.instances()))));
        List<InstanceMessage> instances = new ArrayList<>(step.instances().size());
        for (LinkedInstance linked : step.instances()) {
            instances.add(toMessage(linked));
        }
        LOG.debugf("inferred stream=%s seq=%d detections=%d audio=%s", stream, frame.seq(), instances.size(),
                joined.audio().coverage());
        MasksMessage masks = new MasksMessage(stream, frame.seq(), frame.ptsMicros(), frame.width(), frame.height(),
                MasksMessage.wire(joined.audio().coverage()), true, frame.seq(), engineName, instances);
        MasksMessage fitted = MasksFit.fit(masks, masksBudget);
        if (fitted != masks) {
            LOG.warnf("masks record of stream=%s seq=%d too large for the masks topic (%d bytes > %d): %d of %d masks"
                    + " left out (maskDropped=true), %d instances left out (instancesDropped)", stream, frame.seq(),
                    MasksFit.size(masks), masksBudget, fitted.masksDropped(), instances.size(),
                    fitted.instancesDropped());
        }
        return new Inferred(fitted, step.state().tracks().size());
    }

    /**
     * The published instances with their e_k, when fresh masks are on and the engine gave every e_k; none otherwise
     * (and then the state is written as before fresh masks existed).
     */
    private MaskSource maskSource(long seq, List<LinkedInstance> linked) {
        if (settings.maskPeriodMicros() == 0 || linked.isEmpty()
                || linked.stream().anyMatch(l -> l.detection().maskEmbedding().length == 0)) {
            return MaskSource.none();
        }
        List<MaskSource.Instance> instances = new ArrayList<>(linked.size());
        for (LinkedInstance l : linked) {
            Detection d = l.detection();
            instances.add(new MaskSource.Instance(l.trackId(), d.classId(), d.score(), l.sounding(),
                    d.maskEmbedding()));
        }
        return new MaskSource(seq, instances);
    }

    /** A frame between inferences: fresh masks on the first frame of each mask-fps slot, else the newest copied. */
    private MasksMessage between(String stream, FrameMessage frame, JoinedFrame joined, InferenceState state) {
        MasksMessage last = lastMasks.computeIfAbsent(stream, this::loadLastMasks);
        String audio = MasksMessage.wire(joined.audio().coverage());
        boolean usable = last != null && last.width() == frame.width() && last.height() == frame.height()
                && last.seq() < frame.seq();
        if (!usable) {
            return new MasksMessage(stream, frame.seq(), frame.ptsMicros(), frame.width(), frame.height(), audio, false,
                    frame.seq(), engineName, List.of());
        }
        long period = settings.maskPeriodMicros();
        if (period > 0 && state.masks().covers(last.sourceSeq())
                && state.clock().newSlot(frame.ptsMicros(), last.ptsMicros(), period)) {
            FrameRequest request = new FrameRequest(stream, frame.seq(), frame.ptsMicros(), FrameImages.decode(frame),
                    joined.audio());
            Optional<List<InstanceMessage>> fresh = freshMasks.instances(request, state.masks());
            if (fresh.isPresent()) {
                MasksMessage masks = MasksFit.fit(new MasksMessage(stream, frame.seq(), frame.ptsMicros(),
                        frame.width(), frame.height(), audio, false, last.sourceSeq(), frame.seq(), engineName,
                        fresh.get()), masksBudget);
                remember(stream, masks);
                return masks;
            }
        }
        // A copy of a fitted record differs only in seq, pts and audio: fitted again in case those digits tip it.
        return MasksFit.fit(new MasksMessage(stream, frame.seq(), frame.ptsMicros(), frame.width(), frame.height(),
                audio, false, last.sourceSeq(), last.maskSeq(), engineName, last.instances(), last.instancesDropped()),
                masksBudget);
    }

    /** The record later frames copy, in the store too, so a restarted task copies the same masks. */
    private void remember(String stream, MasksMessage masks) {
        lastMasksStore.put(stream, MessageCodec.MASKS.encode(masks));
        lastMasks.put(stream, masks);
    }

    private MasksMessage loadLastMasks(String stream) {
        byte[] last = lastMasksStore.get(stream);
        if (last == null) {
            return null;
        }
        try {
            // Our own output, already validated when written: no schema pass.
            return Json.MAPPER.readValue(last, MasksMessage.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable last-masks entry for stream " + stream, e);
        }
    }

    private InstanceMessage toMessage(LinkedInstance linked) {
        Detection d = linked.detection();
        return FreshMasks.instance(linked.trackId(), d.classId(), engine.info().className(d.classId()), d.score(),
                linked.sounding(), CocoRle.bbox(d.mask()), d.mask());
    }
}
