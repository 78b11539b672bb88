package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.media.FrameDetections;
import io.avisstream.avis.message.AudioCoverage;

/**
 * A model without the SAOC count head (AVISM's additive fusion: the frame graph has no {@code count_logits}) runs:
 * frames carry no count logits and a window's detections carry no count probabilities, which the tracker reads as
 * "every detection sounds". Real ONNX Runtime on the tiny export, seen through a backend that hides the output.
 */
class NoCountHeadTest {

    @Test
    void shouldRunAFrameGraphWithoutCountLogitsAndReportNoCountProbabilities() {
        // Given: the tiny export's frame graph as an additive-fusion export declares it, without count_logits
        ResourceLedger ledger = new ResourceLedger();
        EngineSettings settings = TinyModel.settings().withScoring(100, 0.0f);
        GraphBackend backend = new WithoutCountLogits(OrtBackend.start(settings, ledger, GpuProbe.none()));

        // When
        FrameFeatures features;
        FrameDetections out;
        try (AcvisEngine engine = AcvisEngine.open(settings, backend, ShapeProfiles.none())) {
            features = engine.encodeFrames(List.of(new FrameRequest("cam", 1, 0,
                    AcvisEngineTest.frame(320, 180, 7), AcvisEngineTest.tone(440, AudioCoverage.COMPLETE)))).get(0);
            out = engine.decodeWindows(List.of(StreamWindow.empty().request(features))).get(0);
        }

        // Then
        assertThat(features.countLogits()).isEmpty();
        assertThat(out.detections()).isNotEmpty();
        assertThat(out.soundingCountProbabilities()).isNull();
        assertThat(ledger.openHandles()).isZero();
    }

    /** Delegates to ONNX Runtime; the frame session declares no count_logits and refuses to be asked for it. */
    private record WithoutCountLogits(GraphBackend delegate) implements GraphBackend {

        @Override
        public String executionProvider() {
            return delegate.executionProvider();
        }

        @Override
        public GraphSession open(String graph, Path file, List<String> inputs, List<String> outputs,
                ShapeProfile profile) {
            GraphSession session = delegate.open(graph, file, inputs, outputs, profile);
            if (!graph.equals(GraphContract.FRAME)) {
                return session;
            }
            return new GraphSession() {
                @Override
                public String graph() {
                    return session.graph();
                }

                @Override
                public List<String> inputNames() {
                    return session.inputNames();
                }

                @Override
                public List<String> outputNames() {
                    return session.outputNames().stream().filter(n -> !n.equals(GraphContract.COUNT_LOGITS)).toList();
                }

                @Override
                public Map<String, HostTensor> run(Map<String, HostTensor> in, Set<String> requested) {
                    assertThat(requested).doesNotContain(GraphContract.COUNT_LOGITS);
                    return session.run(in, requested);
                }

                @Override
                public void close() {
                    session.close();
                }
            };
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
