package io.avisstream.avis.api;

import java.net.URI;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.avisstream.avis.tracking.Track;
import io.avisstream.avis.tracking.TrackerState;

/**
 * {@code GET /streams/{streamId}/tracks}: the live track table of a stream. 200 when this instance owns the stream,
 * 303 to the owning instance ({@code kafka-streams.application.server} must be set on every instance), 404 when
 * the stream has no tracker state, 503 while the store is unavailable (start-up, rebalance).
 */
@Path("/streams")
public class TracksResource {

    /** One row of the answer. */
    public record TrackView(long trackId, int classId, long firstSeen, long lastSeen, int hits, boolean sounding) {
    }

    /** The answer: the stream's tracker clock and its live tracks. */
    public record TracksView(String streamId, long inferredFrames, long nextTrackId, List<TrackView> tracks) {
    }

    @Inject
    TrackQueries queries;

    @GET
    @Path("/{streamId}/tracks")
    @Produces(MediaType.APPLICATION_JSON)
    public Response tracks(@PathParam("streamId") String streamId) {
        TrackQueries.Result result = queries.tracks(streamId);
        if (result.isUnavailable()) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).build();
        }
        if (result.owner().isPresent()) {
            var host = result.owner().get();
            return Response.seeOther(URI.create("http://" + host.host() + ":" + host.port() + "/streams/" + streamId + "/tracks"))
                    .build();
        }
        if (result.state().isEmpty()) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        TrackerState s = result.state().get();
        List<TrackView> tracks = s.tracks().stream().map(TracksResource::view).toList();
        return Response.ok(new TracksView(streamId, s.frameIndex(), s.nextTrackId(), tracks)).build();
    }

    private static TrackView view(Track t) {
        return new TrackView(t.id(), t.classId(), t.firstSeen(), t.lastSeen(), t.hits(), t.sounding());
    }
}
