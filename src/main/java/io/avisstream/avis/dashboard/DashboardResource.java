package io.avisstream.avis.dashboard;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.Json;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.topology.TopologyNames;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.vertx.ext.web.Router;

/**
 * The live dashboard's data, under {@code /dashboard/api} (the page itself is static, {@code /dashboard/}):
 * <ul>
 * <li>{@code GET streams}: every stream with its latest frame's seq, time and sounding count; this instance's, plus
 * those of the other instances (asked with {@code ?local=true} when {@code kafka-streams.application.server} is set);
 * <li>{@code GET streams/{id}/latest}: the stream's latest frame (JPEG, downscaled, as a data URL) with its masks
 * record; answered by the instance that owns the stream (interactive-query metadata of the tracker store), which
 * another instance asks on the page's behalf; 404 unknown stream, 503 while Kafka Streams is not running;
 * <li>{@code GET events}: server-sent events, one {@code event} per onset / offset / count change of this instance's
 * streams, the last {@code avis.dashboard.event-history} first.
 * </ul>
 */
@Path("/dashboard/api")
public class DashboardResource {
    private static final Logger LOG = Logger.getLogger(DashboardResource.class);
    private static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(2);

    /** One row of the stream list. */
    public record StreamRow(String streamId, long seq, long ptsMicros, boolean inferred, int instances,
            int soundingCount, String audio, String owner) {
    }

    @Inject
    LiveView view;
    @Inject
    AvisStreams streams;
    @Inject
    Config config;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(REMOTE_TIMEOUT).build();

    /** {@code /dashboard} without the slash: to the page. */
    void routes(@Observes Router router) {
        router.getWithRegex("/dashboard").handler(rc -> rc.redirect("/dashboard/"));
    }

    @GET
    @Path("/streams")
    @Produces(MediaType.APPLICATION_JSON)
    public List<StreamRow> streams(@QueryParam("local") @DefaultValue("false") boolean localOnly,
            @HeaderParam("Authorization") String authorization) {
        List<StreamRow> rows = new ArrayList<>();
        String self = localServer().map(h -> h.host() + ":" + h.port()).orElse("local");
        for (MasksMessage m : view.streams()) {
            rows.add(row(m, self));
        }
        if (!localOnly) {
            for (HostInfo other : otherInstances()) {
                rows.addAll(remoteRows(other, authorization));
            }
        }
        rows.sort(java.util.Comparator.comparing(StreamRow::streamId));
        return rows;
    }

    @GET
    @Path("/streams/{streamId}/latest")
    @Produces(MediaType.APPLICATION_JSON)
    public Response latest(@PathParam("streamId") String streamId,
            @QueryParam("local") @DefaultValue("false") boolean localOnly,
            @HeaderParam("Authorization") String authorization) {
        Optional<LiveView.Snapshot> local = view.snapshot(streamId);
        if (local.isPresent()) {
            LiveView.Snapshot s = local.get();
            String body = "{\"masks\":" + new String(MessageCodec.MASKS.encode(s.masks()), StandardCharsets.UTF_8)
                    + ",\"imageWidth\":" + s.jpegWidth() + ",\"imageHeight\":" + s.jpegHeight()
                    + ",\"image\":\"data:image/jpeg;base64," + Base64.getEncoder().encodeToString(s.jpeg()) + "\"}";
            return Response.ok(body).header("Cache-Control", "no-store").build();
        }
        if (streams.kafkaStreams().isEmpty()) {
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).build();
        }
        if (!localOnly) {
            Optional<HostInfo> owner = owner(streamId);
            if (owner.isPresent()) {
                return proxy(owner.get(), "/dashboard/api/streams/" + URLEncoder.encode(streamId, StandardCharsets.UTF_8)
                        .replace("+", "%20") + "/latest?local=true", authorization);
            }
        }
        return Response.status(Response.Status.NOT_FOUND).build();
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@Context SseEventSink sink, @Context Sse sse) {
        for (EventMessage e : view.recentEvents()) {
            send(sink, sse, e);
        }
        Runnable[] unsubscribe = new Runnable[1];
        unsubscribe[0] = view.subscribe(e -> {
            if (sink.isClosed()) {
                unsubscribe[0].run();
                return;
            }
            send(sink, sse, e);
        });
    }

    private static void send(SseEventSink sink, Sse sse, EventMessage e) {
        sink.send(sse.newEventBuilder().name("event").mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(new String(MessageCodec.EVENTS.encode(e), StandardCharsets.UTF_8)).build());
    }

    private static StreamRow row(MasksMessage m, String owner) {
        int sounding = 0;
        for (InstanceMessage i : m.instances()) {
            sounding += i.sounding() ? 1 : 0;
        }
        return new StreamRow(m.streamId(), m.seq(), m.ptsMicros(), m.inferred(), m.instances().size(), sounding,
                m.audio(), owner);
    }

    /** The instance that owns the stream's tracker state, when it is another one (application.server set). */
    private Optional<HostInfo> owner(String streamId) {
        KafkaStreams ks = streams.kafkaStreams().orElse(null);
        if (ks == null) {
            return Optional.empty();
        }
        KeyQueryMetadata meta = ks.queryMetadataForKey(TopologyNames.TRACKER_STORE, streamId, Serdes.String().serializer());
        if (meta == null || meta.equals(KeyQueryMetadata.NOT_AVAILABLE) || meta.activeHost() == null
                || meta.activeHost().port() <= 0 || meta.activeHost().equals(localServer().orElse(null))) {
            return Optional.empty();
        }
        return Optional.of(meta.activeHost());
    }

    private List<HostInfo> otherInstances() {
        KafkaStreams ks = streams.kafkaStreams().orElse(null);
        Optional<HostInfo> self = localServer();
        if (ks == null || self.isEmpty()) {
            return List.of();
        }
        List<HostInfo> out = new ArrayList<>();
        for (StreamsMetadata m : ks.metadataForAllStreamsClients()) {
            if (m.hostInfo().port() > 0 && !m.hostInfo().equals(self.get())) {
                out.add(m.hostInfo());
            }
        }
        return out;
    }

    private List<StreamRow> remoteRows(HostInfo host, String authorization) {
        try {
            HttpResponse<byte[]> r = http.send(request(host, "/dashboard/api/streams?local=true", authorization),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 200) {
                return List.of(Json.MAPPER.readValue(r.body(), StreamRow[].class));
            }
        } catch (java.io.IOException e) {
            LOG.debugf("dashboard: instance %s:%d did not answer: %s", host.host(), host.port(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.of();
    }

    private Response proxy(HostInfo host, String path, String authorization) {
        try {
            HttpResponse<byte[]> r = http.send(request(host, path, authorization), HttpResponse.BodyHandlers.ofByteArray());
            return Response.status(r.statusCode()).entity(r.body()).type(MediaType.APPLICATION_JSON_TYPE)
                    .header("Cache-Control", "no-store").build();
        } catch (java.io.IOException e) {
            return Response.status(Response.Status.BAD_GATEWAY).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Response.status(Response.Status.SERVICE_UNAVAILABLE).build();
        }
    }

    /** A request to another instance, with the caller's credentials when HTTP auth is on (avis.http.auth.enabled). */
    private static HttpRequest request(HostInfo host, String path, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + path))
                .timeout(REMOTE_TIMEOUT);
        if (authorization != null && !authorization.isBlank()) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    private Optional<HostInfo> localServer() {
        return config.getOptionalValue("kafka-streams.application.server", String.class).map(HostInfo::buildFromEndpoint);
    }
}
