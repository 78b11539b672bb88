package io.avisstream.avis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * {@code avis.http.auth.enabled=true}: the interactive queries (and every other endpoint) answer 401 without
 * credentials, 401 with a wrong password, 403 for a user without the viewer role, and reach the resource with the
 * viewer's credentials; the health probes stay open. (The topology is not started here: the query answers 503.)
 */
@QuarkusTest
@TestProfile(HttpAuthTest.AuthOn.class)
class HttpAuthTest {
    private static final String PASSWORD = "viewer-pass-1";

    @TestHTTPResource("/streams/cam-a/tracks")
    URL tracks;
    @TestHTTPResource("/dashboard")
    URL dashboard;
    @TestHTTPResource("/q/health/live")
    URL live;
    @TestHTTPResource("/q/health/ready")
    URL ready;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldRequireCredentialsForQueriesAndKeepProbesOpen() throws Exception {
        // Then: no credentials
        assertThat(status(tracks, null)).isEqualTo(401);
        assertThat(status(dashboard, null)).isEqualTo(401);
        // wrong password, and a valid user without the viewer role
        assertThat(status(tracks, basic("viewer", "wrong"))).isEqualTo(401);
        assertThat(status(tracks, basic("intern", PASSWORD))).isEqualTo(403);
        // the viewer reaches the resource (503: the store is not running in this test)
        assertThat(status(tracks, basic("viewer", PASSWORD))).isEqualTo(503);
        // probes: open, no credentials needed (liveness UP, readiness DOWN while the topology is stopped)
        assertThat(status(live, null)).isEqualTo(200);
        assertThat(status(ready, null)).isEqualTo(503);
    }

    private int status(URL url, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString()));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** The realm's stored form of a password: HEX(SHA-512(user:avis:password)). */
    static String digest(String user, String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512")
                    .digest((user + ":avis:" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static class AuthOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("avis.http.auth.enabled", "true",
                    "quarkus.security.users.embedded.users.viewer", digest("viewer", PASSWORD),
                    "quarkus.security.users.embedded.roles.viewer", "avis-viewer",
                    "quarkus.security.users.embedded.users.intern", digest("intern", PASSWORD),
                    "quarkus.security.users.embedded.roles.intern", "other");
        }
    }
}
