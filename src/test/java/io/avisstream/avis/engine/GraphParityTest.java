package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every graph of the tiny export, run by ONNX Runtime on CPU through {@link OrtBackend} exactly as the engine runs
 * it, against the PyTorch eager outputs the exporter saved ({@code reference/<graph>[_case]/}).
 */
class GraphParityTest {

    static Stream<String> referenceCases() throws IOException {
        try (Stream<Path> dirs = Files.list(TinyModel.dir().resolve("reference"))) {
            // Graph cases are named <graph>[_<case>]; "offline" is the end-to-end case of OfflineParityTest.
            List<String> cases = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(c -> GraphContract.GRAPHS.contains(c.split("_")[0])
                            || GraphContract.OPTIONAL_GRAPHS.contains(c.split("_")[0])).sorted().toList();
            assertThat(cases.stream().map(c -> c.split("_")[0]).distinct()).containsAll(GraphContract.GRAPHS);
            return cases.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("referenceCases")
    void shouldMatchPyTorchWithin1e4(String referenceCase) throws IOException {
        String graph = referenceCase.split("_")[0];
        check(referenceCase, TinyModel.dir().resolve(graph + ".onnx"), TinyModel.dir().resolve("reference"));
    }

    /**
     * The tiny frame graph after {@code engines/tools/fast_gridsample.py} (GridSample rewritten into Gathers): a
     * self-contained fixture under {@code parity/fast-gridsample/} (graph + the PyTorch reference cases of the
     * export it was rewritten from, whose sha256 is in {@code source.sha256}), so a re-export of the tiny model
     * does not invalidate it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"frame", "frame_100x75"})
    void shouldMatchPyTorchWithin1e4AfterTheGridSampleRewrite(String referenceCase) throws Exception {
        Path fixture = Path.of(GraphParityTest.class.getResource("/parity/fast-gridsample/frame.onnx").toURI()).getParent();
        check(referenceCase + "[fast-gridsample]", fixture.resolve("frame.onnx"), fixture.resolve("reference"));
    }

    private void check(String label, Path graphFile, Path referenceRoot) throws IOException {
        // Given
        String referenceCase = label.replace("[fast-gridsample]", "");
        String graph = referenceCase.split("_")[0];
        Path caseDir = referenceRoot.resolve(referenceCase);
        Map<String, HostTensor> inputs = new LinkedHashMap<>();
        for (String name : GraphContract.inputs(graph)) {
            Npy npy = Npy.read(caseDir.resolve("inputs").resolve(name + ".npy"));
            inputs.put(name, new HostTensor(npy.shape(), npy.floats()));
        }
        Map<String, Npy> expected = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(caseDir.resolve("outputs"))) {
            files.sorted().forEach(f -> expected.put(f.getFileName().toString().replace(".npy", ""), Npy.read(f)));
        }
        EngineSettings settings = TinyModel.settings();
        ResourceLedger ledger = new ResourceLedger();

        // When
        Map<String, HostTensor> actual;
        try (OrtBackend backend = OrtBackend.start(settings, ledger, GpuProbe.none());
                GraphSession session = backend.open(graph, graphFile,
                        GraphContract.inputs(graph), GraphContract.outputs(graph), ShapeProfile.none())) {
            actual = session.run(inputs, expected.keySet());
        }

        // Then
        assertThat(expected).isNotEmpty();
        for (Map.Entry<String, Npy> e : expected.entrySet()) {
            HostTensor out = actual.get(e.getKey());
            assertThat(out.shape()).as(referenceCase + "/" + e.getKey() + " shape").containsExactly(e.getValue().shape());
            Parity parity = Parity.of(label + "/" + e.getKey(), e.getValue().floats(), out.data());
            if (e.getKey().equals(GraphContract.AUDIO_FEATURES)) {
                // Quantised to integers: equal, except a +-1 where the pre-rounding value sits on a .5 boundary.
                assertThat(parity.maxAbs()).as(referenceCase + " audio features").isLessThanOrEqualTo(1.0);
                assertThat(countDifferent(e.getValue().floats(), out.data())).as("+-1 differences").isLessThanOrEqualTo(1);
            } else {
                parity.assertWithin(1e-4);
            }
        }
        assertThat(ledger.openHandles()).as("native handles left open: %s", ledger).isZero();
    }

    private static int countDifferent(float[] expected, float[] actual) {
        int n = 0;
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != actual[i]) {
                n++;
            }
        }
        return n;
    }
}
