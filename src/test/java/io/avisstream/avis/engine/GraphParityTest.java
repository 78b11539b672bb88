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

/**
 * Every graph of the tiny export, run by ONNX Runtime on CPU through {@link OrtBackend} exactly as the engine runs
 * it, against the PyTorch eager outputs the exporter saved ({@code reference/<graph>[_case]/}).
 */
class GraphParityTest {

    static Stream<String> referenceCases() throws IOException {
        try (Stream<Path> dirs = Files.list(TinyModel.dir().resolve("reference"))) {
            // Graph cases are named <graph>[_<case>]; "offline" is the end-to-end case of OfflineParityTest.
            List<String> cases = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(c -> GraphContract.GRAPHS.contains(c.split("_")[0])).sorted().toList();
            assertThat(cases.stream().map(c -> c.split("_")[0]).distinct())
                    .containsExactlyInAnyOrderElementsOf(GraphContract.GRAPHS);
            return cases.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("referenceCases")
    void shouldMatchPyTorchWithin1e4(String referenceCase) throws IOException {
        // Given
        String graph = referenceCase.split("_")[0];
        Path caseDir = TinyModel.dir().resolve("reference").resolve(referenceCase);
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
                GraphSession session = backend.open(graph, TinyModel.dir().resolve(graph + ".onnx"),
                        GraphContract.inputs(graph), GraphContract.outputs(graph), ShapeProfile.none())) {
            actual = session.run(inputs, expected.keySet());
        }

        // Then
        assertThat(expected).isNotEmpty();
        for (Map.Entry<String, Npy> e : expected.entrySet()) {
            HostTensor out = actual.get(e.getKey());
            assertThat(out.shape()).as(referenceCase + "/" + e.getKey() + " shape").containsExactly(e.getValue().shape());
            Parity parity = Parity.of(referenceCase + "/" + e.getKey(), e.getValue().floats(), out.data());
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
