package io.avisstream.avis.api;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import io.avisstream.avis.topology.InferenceStateCodec;
import io.avisstream.avis.topology.TopologyNames;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.avisstream.avis.tracking.TrackerState;

/**
 * Interactive queries on the tracker store: which instance owns a stream, and its live track table when it is
 * this one. Bounded: an unavailable store (start-up, rebalance) answers {@link Result#unavailable()} at once
 * instead of spinning.
 */
@ApplicationScoped
public class TrackQueries {

    @Inject
    AvisStreams streams;
    @Inject
    org.eclipse.microprofile.config.Config config;

    /** Outcome of a lookup; exactly one of the accessors is present, or {@link #isUnavailable()}. */
    public static final class Result {
        private final TrackerState state;
        private final HostInfo owner;
        private final boolean unavailable;

        private Result(TrackerState state, HostInfo owner, boolean unavailable) {
            this.state = state;
            this.owner = owner;
            this.unavailable = unavailable;
        }

        public static Result found(TrackerState state) {
            return new Result(state, null, false);
        }

        public static Result foundRemotely(HostInfo owner) {
            return new Result(null, owner, false);
        }

        public static Result notFound() {
            return new Result(null, null, false);
        }

        public static Result unavailable() {
            return new Result(null, null, true);
        }

        public Optional<TrackerState> state() {
            return Optional.ofNullable(state);
        }

        public Optional<HostInfo> owner() {
            return Optional.ofNullable(owner);
        }

        public boolean isUnavailable() {
            return unavailable;
        }
    }

    public Result tracks(String streamId) {
        Optional<KafkaStreams> running = streams.kafkaStreams();
        if (running.isEmpty()) {
            return Result.unavailable();
        }
        KafkaStreams kafkaStreams = running.get();
        byte[] bytes;
        try {
            // All local tasks (active ones; a stream lives in exactly one partition).
            ReadOnlyKeyValueStore<String, byte[]> store = kafkaStreams.store(StoreQueryParameters
                    .fromNameAndType(TopologyNames.TRACKER_STORE, QueryableStoreTypes.<String, byte[]>keyValueStore()));
            bytes = store.get(streamId);
        } catch (InvalidStateStoreException e) {
            return Result.unavailable();
        }
        if (bytes != null) {
            return Result.found(InferenceStateCodec.decode(bytes).tracker());
        }
        // Not here: another instance may own the stream (known only when application.server is configured).
        KeyQueryMetadata meta = kafkaStreams.queryMetadataForKey(TopologyNames.TRACKER_STORE, streamId,
                Serdes.String().serializer());
        if (meta != null && !meta.equals(KeyQueryMetadata.NOT_AVAILABLE) && meta.activeHost() != null
                && meta.activeHost().port() > 0 && !isLocal(meta.activeHost())) {
            return Result.foundRemotely(meta.activeHost());
        }
        return Result.notFound();
    }

    /** This instance's {@code application.server}, if configured (as {@code kafka-streams.application.server}). */
    private boolean isLocal(HostInfo host) {
        return config.getOptionalValue("kafka-streams.application.server", String.class)
                .map(HostInfo::buildFromEndpoint).map(host::equals).orElse(false);
    }
}
