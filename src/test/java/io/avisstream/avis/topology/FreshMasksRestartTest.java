package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.TestStreams.frame;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.media.AudioWindow;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.topology.contract.TopicContract;

/**
 * Fresh masks survive a restart: a new {@link InferenceProcessor} (empty memory) on the same stores, as after a
 * restore, publishes the same masks records as a run without the restart, mid-way between two inferences. What it
 * needs is in the stores: the mask source (tracker store, v3) and the newest fresh record (last-masks store).
 */
class FreshMasksRestartTest {
    private static final String CAM = "cam-r";

    /** The inference step's stores; they outlive processor instances like a restored state directory. */
    private static final class InferenceStores {
        final List<KeyValueStore<String, byte[]>> all = new ArrayList<>();

        InferenceStores() {
            MockProcessorContext<Object, Object> first = new MockProcessorContext<>();
            for (String name : List.of(TopologyNames.TRACKER_STORE, TopologyNames.LAST_MASKS_STORE)) {
                KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled().build();
                store.init(first.getStateStoreContext(), store);
                all.add(store);
            }
        }
    }

    /** One incarnation of the step: a new processor on the given stores. */
    private static final class Incarnation {
        final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        final InferenceProcessor processor = new InferenceProcessor(new DeterministicTestEngine(),
                TopologySettings.defaults().withMaskFps(5), PipelineObserver.NONE,
                MasksFit.budget(TopicContract.bundled().masks().maxMessageBytes()));

        Incarnation(InferenceStores stores) {
            stores.all.forEach(context::addStateStore);
            processor.init(context);
        }

        void frames(long from, long to) {
            for (long s = from; s < to; s++) {
                processor.process(new Record<String, Object>(CAM, new JoinedFrame(frame(CAM, s), AudioWindow.silence()),
                        s));
            }
        }

        List<MasksMessage> out() {
            return context.forwarded(TopologyNames.MASKS_SINK).stream().map(f -> (MasksMessage) f.record().value())
                    .toList();
        }
    }

    @Test
    void shouldPublishTheSameFreshAndCopiedMasksWhetherOrNotTheTaskRestartedBetweenInferences() {
        // Given a moving square, inference at 1 fps, fresh masks at 5 fps
        Incarnation straight = new Incarnation(new InferenceStores());
        straight.frames(0, 30);

        // When another run restarts after frame 12 (fresh masks of frame 10 are the newest, frames 11-12 copied them)
        InferenceStores stores = new InferenceStores();
        Incarnation before = new Incarnation(stores);
        before.frames(0, 13);
        Incarnation after = new Incarnation(stores);
        after.frames(13, 30);

        // Then the records are the same: 13-14 copy frame 10's masks, 15 and 20 are fresh, 25 is inferred
        List<MasksMessage> restarted = new ArrayList<>(before.out());
        restarted.addAll(after.out());
        assertThat(restarted).isEqualTo(straight.out());
        assertThat(after.out().get(0).maskSeq()).isEqualTo(10L);
        assertThat(after.out()).filteredOn(MasksMessage::freshMasks).extracting(MasksMessage::seq)
                .containsExactly(15L, 20L);
    }
}
