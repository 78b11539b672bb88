package io.avisstream.avis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** By default ({@code avis.http.auth.enabled=false}) the queries need no credentials (the service binds loopback). */
@QuarkusTest
class HttpAuthOffTest {
    @TestHTTPResource("/streams/cam-a/tracks")
    URL tracks;

    @Test
    void shouldAnswerQueriesWithoutCredentialsWhenAuthIsOff() throws Exception {
        // When
        int status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tracks.toString())).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();

        // Then the resource answers (503: topology not started here), not the security layer
        assertThat(status).isEqualTo(503);
    }
}
