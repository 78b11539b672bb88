package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.avisstream.avis.media.AudioWindow;
import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.Detection;
import io.avisstream.avis.media.FrameDetections;
import io.avisstream.avis.media.VideoFrame;
import io.avisstream.avis.message.AudioCoverage;
import io.avisstream.avis.message.AudioFormat;

/** The CPU engine end to end on the tiny export: real ONNX Runtime, real pre/post-processing. */
class AcvisEngineTest {

    private static final int SEED = 42;

    static VideoFrame frame(int width, int height, int seed) {
        byte[] rgb = new byte[width * height * 3];
        java.util.Random random = new java.util.Random(seed);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = (y * width + x) * 3;
                rgb[p] = (byte) (x * 255 / width);
                rgb[p + 1] = (byte) (y * 255 / height);
                rgb[p + 2] = (byte) random.nextInt(256);
            }
        }
        return new VideoFrame(width, height, rgb);
    }

    /** Kmax of the bundled model's count head, as its manifest states it (export.py). */
    static int manifestKmax() {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(TinyModel.dir().resolve(ModelManifest.FILE).toFile()).get("kmax").asInt();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static AudioWindow tone(double hertz, AudioCoverage coverage) {
        float[] pcm = new float[AudioFormat.WINDOW_SAMPLES];
        for (int n = 0; n < pcm.length; n++) {
            pcm[n] = Math.round(8000 * Math.sin(2 * Math.PI * hertz * n / AudioFormat.SAMPLE_RATE)) / AudioFormat.S16_SCALE;
        }
        return new AudioWindow(pcm, coverage);
    }

    @Test
    void shouldEncodeDecodeAndCloseEveryNativeHandleItOpened() {
        // Given
        ResourceLedger ledger = new ResourceLedger();
        EngineSettings settings = TinyModel.settings().withScoring(100, 0.0f).withWarmUp(true);
        List<FrameRequest> requests = List.of(
                new FrameRequest("cam-a", 1, 0, frame(320, 180, SEED), tone(440, AudioCoverage.COMPLETE)),
                new FrameRequest("cam-b", 7, 0, frame(150, 200, SEED + 1), tone(1000, AudioCoverage.PARTIAL)),
                new FrameRequest("cam-c", 3, 0, frame(320, 180, SEED + 2), AudioWindow.silence()));

        // When
        AcvisEngine engine = EngineFactory.create(settings, ledger, GpuProbe.none());
        EngineInfo info = engine.info();
        List<FrameFeatures> features = engine.encodeFrames(requests);
        FrameFeatures b = features.get(1);
        List<FrameDetections> detections = engine.decodeWindows(List.of(
                new WindowRequest("cam-b", 7, List.of(features.get(0).frameQueries(), features.get(2).frameQueries()),
                        List.of(features.get(0).audioFeatures(), features.get(2).audioFeatures()), b)));
        engine.close();
        engine.close();

        // Then
        assertThat(info.name()).isEqualTo("ort-cpu");
        assertThat(info.modelId()).hasSize(12);
        assertThat(features).extracting(FrameFeatures::streamId).containsExactly("cam-a", "cam-b", "cam-c");
        assertThat(features).extracting(FrameFeatures::seq).containsExactly(1L, 7L, 3L);
        assertThat(features.get(0).geometry()).isEqualTo(new FrameGeometry(320, 180, 640, 360, 640, 384));
        assertThat(b.geometry()).isEqualTo(new FrameGeometry(150, 200, 360, 480, 384, 480));
        for (FrameFeatures f : features) {
            assertThat(f.frameQueries()).hasSize(info.frameQueryLength());
            assertThat(f.audioFeatures()).hasSize(info.audioDim());
            assertThat(f.countLogits()).as("count head: manifest kmax logits").hasSize(manifestKmax());
            assertThat(f.maskFeatures().height() * 4).isEqualTo(f.geometry().paddedHeight());
            assertThat(f.maskFeatures().width() * 4).isEqualTo(f.geometry().paddedWidth());
        }
        // Quantised VGGish features are integers in 0..255.
        for (float v : features.get(0).audioFeatures()) {
            assertThat(v).isBetween(0f, 255f).isEqualTo((float) Math.rint(v));
        }
        FrameDetections out = detections.get(0);
        assertThat(out.streamId()).isEqualTo("cam-b");
        assertThat(out.soundingCountProbabilities()).as("P(0..Kmax)").hasSize(manifestKmax() + 1);
        assertThat(out.detections()).isNotEmpty();
        List<Float> scores = new ArrayList<>();
        for (Detection d : out.detections()) {
            scores.add(d.score());
            assertThat(d.classId()).isBetween(0, info.numClasses() - 1);
            assertThat(d.mask().width()).isEqualTo(150);
            assertThat(d.mask().height()).isEqualTo(200);
            assertThat(d.similarity()).hasSize(engine.similarityDim());
        }
        assertThat(scores).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(ledger.opens("ort-session")).as("four graphs and the optional pixel graph").isEqualTo(5);
        assertThat(ledger.opens("ort-tensor")).isPositive();
        assertThat(ledger.openHandles()).as("native handles left open: %s", ledger).isZero();
        assertThatThrownBy(() -> engine.encodeFrames(requests)).isInstanceOf(EngineException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void shouldReproduceAnInferredFramesMasksFromTheOptionalPixelGraphsMaskFeaturesAndItsDetectionsEmbeddings() {
        try (AcvisEngine engine = EngineFactory.create(TinyModel.settings().withScoring(100, 0f), new ResourceLedger(),
                GpuProbe.none())) {
            assertThat(engine.freshMaskGraph()).isEqualTo(GraphContract.PIXEL);
            assertFreshMasksReproduceTheInferredOnes(engine);
        }
    }

    @Test
    void shouldReproduceAnInferredFramesMasksFromTheFrameGraphWhenTheModelHasNoPixelGraph(@TempDir Path dir)
            throws Exception {
        // Given the bundled model without its optional graph
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(TinyModel.dir())) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                if (!f.getFileName().toString().equals("pixel.onnx")) {
                    java.nio.file.Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        EngineSettings settings = EngineSettings.defaults(dir).withThreads(2).withWarmUp(false).withScoring(100, 0f);
        try (AcvisEngine engine = EngineFactory.create(settings, new ResourceLedger(), GpuProbe.none())) {
            assertThat(engine.freshMaskGraph()).isEqualTo(GraphContract.FRAME);
            assertFreshMasksReproduceTheInferredOnes(engine);
        }
    }

    private static void assertFreshMasksReproduceTheInferredOnes(AcvisEngine engine) {
        // Given the detections of an inferred frame (threshold 0: every top-k candidate has a mask)
        FrameRequest inferred = new FrameRequest("cam", 1, 0, frame(320, 180, SEED), tone(440, AudioCoverage.COMPLETE));
        FrameRequest later = new FrameRequest("cam", 5, 160_000, frame(200, 150, SEED + 9), tone(440,
                AudioCoverage.COMPLETE));
        FrameFeatures features = engine.encodeFrames(List.of(inferred)).get(0);
        List<Detection> detections = engine.decodeWindows(List.of(StreamWindow.empty().request(features))).get(0)
                .detections();
        List<float[]> embeddings = detections.stream().map(Detection::maskEmbedding).toList();

        // When fresh masks are computed for the same image, without its audio (m_t never sees it), and for another
        List<BinaryMask> same = engine.masksFor(new FrameRequest("cam", 1, 0, inferred.frame(), AudioWindow.silence()),
                embeddings).orElseThrow();
        List<BinaryMask> other = engine.masksFor(later, embeddings).orElseThrow();

        // Then e_k . m_t on the inferred frame is its detections' masks, bit for bit
        assertThat(detections).isNotEmpty();
        assertThat(embeddings).allSatisfy(e -> assertThat(e).hasSize(features.maskFeatures().channels()));
        assertThat(same).hasSameSizeAs(detections);
        for (int k = 0; k < detections.size(); k++) {
            assertThat(same.get(k).data()).as("candidate %d", k).containsExactly(detections.get(k).mask().data());
        }
        // ... and another frame gets masks at its own size
        assertThat(other).hasSameSizeAs(detections).allSatisfy(m -> {
            assertThat(m.width()).isEqualTo(200);
            assertThat(m.height()).isEqualTo(150);
        });
        assertThat(engine.masksFor(later, List.of())).contains(List.of());
        assertThat(engine.maskTimings().micros(StageTimings.Stage.INFERENCE)).isPositive();
    }

    @Test
    void shouldGiveEachFrameTheSameFeaturesWhetherBatchedWithOtherSizesOrAlone() {
        // Given
        List<FrameRequest> requests = List.of(
                new FrameRequest("a", 1, 0, frame(320, 180, 1), tone(300, AudioCoverage.COMPLETE)),
                new FrameRequest("b", 1, 0, frame(180, 320, 2), tone(700, AudioCoverage.COMPLETE)),
                new FrameRequest("c", 1, 0, frame(320, 180, 3), tone(2000, AudioCoverage.COMPLETE)));

        try (AcvisEngine engine = EngineFactory.create(TinyModel.settings(), new ResourceLedger(), GpuProbe.none())) {
            // When
            List<FrameFeatures> batched = engine.encodeFrames(requests);
            List<FrameFeatures> alone = new ArrayList<>();
            for (FrameRequest r : requests) {
                alone.add(engine.encodeFrames(List.of(r)).get(0));
            }

            // Then
            for (int i = 0; i < requests.size(); i++) {
                Parity.of("batched-vs-alone/" + i + "/queries", alone.get(i).frameQueries(), batched.get(i).frameQueries())
                        .assertWithin(1e-4);
                Parity.of("batched-vs-alone/" + i + "/mask", alone.get(i).maskFeatures().data(),
                        batched.get(i).maskFeatures().data()).assertWithin(1e-4);
                assertThat(batched.get(i).audioFeatures()).containsExactly(alone.get(i).audioFeatures());
            }
        }
    }

    @Test
    void shouldFeedAPartiallyCoveredWindowAsTheAllZeroPatchLikeTheOfficialExtractor() {
        // Given: the same tone, once fully covered, once partial; and a window with no audio at all
        List<FrameRequest> requests = List.of(
                new FrameRequest("a", 1, 0, frame(320, 180, 1), tone(1000, AudioCoverage.COMPLETE)),
                new FrameRequest("a", 2, 0, frame(320, 180, 1), tone(1000, AudioCoverage.PARTIAL)),
                new FrameRequest("a", 3, 0, frame(320, 180, 1), AudioWindow.silence()));

        try (AcvisEngine engine = EngineFactory.create(TinyModel.settings(), new ResourceLedger(), GpuProbe.none())) {
            // When
            List<FrameFeatures> features = engine.encodeFrames(requests);

            // Then: partial = missing = the zero patch; complete is the tone's patch
            assertThat(features.get(1).audioFeatures()).containsExactly(features.get(2).audioFeatures());
            assertThat(features.get(0).audioFeatures()).isNotEqualTo(features.get(1).audioFeatures());
        }
    }

    @Test
    void shouldRefuseAGraphThatLacksTheContractsNames() {
        // Given: the masks graph offered as the audio graph
        Path masks = TinyModel.dir().resolve("masks.onnx");
        ResourceLedger ledger = new ResourceLedger();

        // When / Then
        try (OrtBackend backend = OrtBackend.start(TinyModel.settings(), ledger, GpuProbe.none())) {
            assertThatThrownBy(() -> backend.open("audio", masks, GraphContract.inputs("audio"),
                    GraphContract.outputs("audio"), ShapeProfile.none()))
                    .isInstanceOf(EngineException.class)
                    .hasMessageContaining("graph 'audio'")
                    .hasMessageContaining("declares inputs [mask_embed, mask_features]")
                    .hasMessageContaining("missing [mel]");
        }
        assertThat(ledger.openHandles()).isZero();
    }

    @Test
    void shouldRejectAWindowLongerThanW() {
        try (AcvisEngine engine = EngineFactory.create(TinyModel.settings(), new ResourceLedger(), GpuProbe.none())) {
            // Given
            FrameFeatures f = engine.encodeFrames(List.of(new FrameRequest("s", 0, 0, frame(64, 36, 1),
                    AudioWindow.silence()))).get(0);
            List<float[]> past = java.util.Collections.nCopies(engine.info().windowFrames(), f.frameQueries());
            List<float[]> pastAudio = java.util.Collections.nCopies(engine.info().windowFrames(), f.audioFeatures());

            // When / Then
            assertThatThrownBy(() -> engine.decodeWindows(List.of(new WindowRequest("s", 0, past, pastAudio, f))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("avis.engine.window-frames=6");
        }
    }

    @Test
    void shouldStartTheConfiguredFallbackWhenTheGpuKindCannotRunHere() {
        // Given
        EngineSettings settings = TinyModel.settings().withKind(EngineKind.DJL_TENSORRT, Optional.of(EngineKind.ORT_CPU));
        ResourceLedger ledger = new ResourceLedger();

        // When
        try (AcvisEngine engine = EngineFactory.create(settings, ledger, GpuProbe.none())) {
            // Then
            assertThat(engine.info().name()).isEqualTo("ort-cpu");
            assertThat(engine.info().executionProvider()).startsWith("CPU");
        }
        assertThat(ledger.openHandles()).isZero();
    }

    @Test
    void shouldFailAtStartWithOneSentenceWhenTheGpuKindCannotRunAndNoFallbackIsConfigured() {
        for (EngineKind kind : List.of(EngineKind.ORT_CUDA, EngineKind.ORT_TENSORRT, EngineKind.DJL_TENSORRT)) {
            // Given
            EngineSettings settings = TinyModel.settings().withKind(kind, Optional.empty());

            // When / Then
            assertThatThrownBy(() -> EngineFactory.create(settings, new ResourceLedger(), GpuProbe.none()))
                    .isInstanceOf(EngineUnavailableException.class)
                    .hasMessageStartingWith("Engine " + kind.id() + " cannot start: ")
                    .hasMessageEndingWith(".")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }
}
