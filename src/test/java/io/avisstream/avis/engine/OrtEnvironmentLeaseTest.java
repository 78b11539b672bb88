package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import java.util.List;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.message.AudioCoverage;

/**
 * The lease on ONNX Runtime's environment works on the ORT version on the classpath: it holds the singleton's own
 * native environment (so ORT's shutdown hook cannot free it under a run) and gives the reference back. Fails when an
 * ORT upgrade removes the private methods it uses.
 */
class OrtEnvironmentLeaseTest {

    @Test
    void shouldHoldTheSingletonEnvironmentAndGiveItBack() throws Exception {
        // Given
        OrtEnvironment environment = OrtEnvironment.getEnvironment();

        // When
        OrtEnvironmentLease lease = OrtEnvironmentLease.acquire(environment);

        // Then
        assertThat(lease.held()).isTrue();
        assertThat(lease.handle()).isEqualTo(OrtEnvironmentLease.nativeHandle(environment)).isNotZero();
        lease.release();
        lease.release();
        assertThat(lease.held()).isFalse();
    }

    @Test
    void shouldLeaveTheEnvironmentUsableForTheNextEngineAfterOneIsClosed() {
        // Given an engine closed (its sessions, then its lease)
        ResourceLedger ledger = new ResourceLedger();
        EngineFactory.create(TinyModel.settings(), ledger, GpuProbe.none()).close();

        // When another engine starts in the same JVM
        try (AcvisEngine engine = EngineFactory.create(TinyModel.settings(), ledger, GpuProbe.none())) {
            List<FrameFeatures> out = engine.encodeFrames(List.of(new FrameRequest("s", 0, 0,
                    AcvisEngineTest.frame(64, 36, 1), AcvisEngineTest.tone(440, AudioCoverage.COMPLETE))));

            // Then
            assertThat(out).hasSize(1);
        }
        assertThat(ledger.opens("ort-env-lease")).isEqualTo(2);
        assertThat(ledger.openHandles()).isZero();
    }
}
