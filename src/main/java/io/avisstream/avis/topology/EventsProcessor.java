package io.avisstream.avis.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import io.avisstream.avis.events.EventStateCodec;
import io.avisstream.avis.events.Observation;
import io.avisstream.avis.events.SoundingEvent;
import io.avisstream.avis.events.SoundingEventDetector;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.EventType;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.MasksMessage;

/**
 * Derives onset / offset / count-change events from the tracker output. Only inferred frames are observations
 * (copied frames carry no new information), so the hysteresis counts inferred frames.
 */
final class EventsProcessor implements Processor<String, Object, Object, Object> {
    private final SoundingEventDetector detector;
    private final IntFunction<String> classNames;
    private final PipelineObserver observer;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, byte[]> store;

    /** @param classNames the model's class name of a class id */
    EventsProcessor(TopologySettings settings, IntFunction<String> classNames, PipelineObserver observer) {
        this.observer = observer;
        this.detector = new SoundingEventDetector(settings.onFrames(), settings.offFrames());
        this.classNames = classNames;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.store = context.getStateStore(TopologyNames.EVENTS_STORE);
    }

    @Override
    public void process(Record<String, Object> record) {
        MasksMessage masks = (MasksMessage) record.value();
        if (!masks.inferred()) {
            return;
        }
        List<Observation> observations = new ArrayList<>(masks.instances().size());
        for (InstanceMessage i : masks.instances()) {
            observations.add(new Observation(i.trackId(), i.classId(), i.sounding()));
        }
        SoundingEventDetector.Step step = detector.step(EventStateCodec.decode(store.get(record.key())), observations);
        store.put(record.key(), EventStateCodec.encode(step.state()));
        for (SoundingEvent e : step.events()) {
            EventMessage event = new EventMessage(masks.streamId(), masks.seq(), masks.ptsMicros(), type(e.kind()),
                    e.trackId(), e.classId(), e.classId() == null ? null : classNames.apply(e.classId()), e.count(),
                    e.previousCount());
            context.forward(record.withValue((Object) event), TopologyNames.EVENTS_SINK);
            observer.event(event);
        }
    }

    private static EventType type(SoundingEvent.Kind kind) {
        return switch (kind) {
            case ONSET -> EventType.ONSET;
            case OFFSET -> EventType.OFFSET;
            case COUNT_CHANGE -> EventType.COUNT_CHANGE;
        };
    }
}
