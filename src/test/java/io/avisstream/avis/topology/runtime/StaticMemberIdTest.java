package io.avisstream.avis.topology.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class StaticMemberIdTest {

    @Test
    void shouldPreferTheConfiguredIdThenHostnameThenTheHostName() {
        assertThat(AvisStreams.staticMemberId(Optional.of("avis-7"), "pod-0")).contains("avis-7");
        assertThat(AvisStreams.staticMemberId(Optional.empty(), "avis-stream-1")).contains("avis-stream-1");
        assertThat(AvisStreams.staticMemberId(Optional.empty(), null)).get().asString().isNotBlank();
    }

    @Test
    void shouldTurnStaticMembershipOffWithNone() {
        assertThat(AvisStreams.staticMemberId(Optional.of("none"), "pod-0")).isEmpty();
    }
}
