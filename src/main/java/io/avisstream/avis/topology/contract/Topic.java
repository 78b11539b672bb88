package io.avisstream.avis.topology.contract;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/** A topic with the serdes of its key and value, so it can never be read with the wrong ones. */
public record Topic<K, V>(TopicSpec spec, Serde<K> keySerde, Serde<V> valueSerde) {
    public String name() {
        return spec.name();
    }

    public int partitions() {
        return spec.partitions();
    }

    /** {@code max.message.bytes} of the topic. */
    public int maxMessageBytes() {
        return spec.maxMessageBytes();
    }

    public Consumed<K, V> consumed() {
        return Consumed.with(keySerde, valueSerde);
    }

    public Produced<K, V> produced() {
        return Produced.with(keySerde, valueSerde);
    }
}
