package io.avisstream.avis.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * HTTP authentication ({@code avis.http.auth.*}): one switch. When on, every endpoint except the health probes
 * ({@code /q/health/*}) needs HTTP basic credentials of a user with role {@code avis-viewer} from the service's user
 * realm ({@code quarkus.security.users.embedded.*}: SHA-512 digests, supplied from a Secret); the interactive queries,
 * the dashboard and the metrics included. Wired in {@code application.properties} as Quarkus HTTP permissions.
 */
@ConfigMapping(prefix = "avis.http.auth")
public interface HttpAuthConfig {

    /** Require authentication on every endpoint but the health probes. */
    @WithDefault("false")
    boolean enabled();
}
