package io.avisstream.avis.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.media.AudioWindow;
import io.avisstream.avis.media.FrameDetections;
import io.avisstream.avis.media.VideoFrame;

/**
 * Batching logic over a recording delegate (the real engine's batched == alone equality is in
 * {@link AcvisEngineTest}). No timing is asserted: thread identity and batch composition show the behaviour.
 */
class BatchingEngineTest {

    /** Echoes each request's stream id and seq; can hold its first call until released. */
    static final class RecordingEngine implements Engine {
        final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());
        final List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch firstCallEntered = new CountDownLatch(1);
        final CountDownLatch releaseFirstCall;
        volatile RuntimeException failure;
        volatile boolean closed;

        RecordingEngine(boolean holdFirstCall) {
            releaseFirstCall = new CountDownLatch(holdFirstCall ? 1 : 0);
        }

        @Override
        public EngineInfo info() {
            return new EngineInfo("recording", "none", "m", 1, 1, 1, 1, 6);
        }

        @Override
        public List<FrameFeatures> encodeFrames(List<FrameRequest> batch) {
            boolean first = calls.isEmpty();
            calls.add(batch.stream().map(FrameRequest::streamId).toList());
            threads.add(Thread.currentThread());
            if (first) {
                firstCallEntered.countDown();
                await(releaseFirstCall);
            }
            if (failure != null) {
                throw failure;
            }
            return batch.stream().map(r -> new FrameFeatures(r.streamId(), r.seq(), new float[1], new float[1], new float[2],
                    new MaskFeatures(1, 1, 1, new float[1]), new FrameGeometry(1, 1, 1, 1, 32, 32))).toList();
        }

        @Override
        public List<FrameDetections> decodeWindows(List<WindowRequest> batch) {
            return List.of();
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final ExecutorService callers = Executors.newFixedThreadPool(8);

    @AfterEach
    void stopCallers() throws InterruptedException {
        callers.shutdownNow();
        assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static FrameRequest request(String stream, long seq) {
        return new FrameRequest(stream, seq, 0, new VideoFrame(1, 1, new byte[3]), AudioWindow.silence());
    }

    private CompletableFuture<List<FrameFeatures>> submit(Engine engine, FrameRequest... requests) {
        return CompletableFuture.supplyAsync(() -> engine.encodeFrames(List.of(requests)), callers);
    }

    @Test
    void shouldRunALoneCallerOnItsOwnThreadWithoutWaitingForABatch() {
        // Given: a max wait far longer than any test would tolerate
        RecordingEngine delegate = new RecordingEngine(false);
        try (BatchingEngine engine = new BatchingEngine(delegate, 8, Duration.ofMinutes(10))) {
            // When
            List<FrameFeatures> out = engine.encodeFrames(List.of(request("solo", 1)));

            // Then
            assertThat(out).extracting(FrameFeatures::streamId).containsExactly("solo");
            assertThat(delegate.threads).containsExactly(Thread.currentThread());
            assertThat(engine.batches()).isEqualTo(1);
        }
    }

    @Test
    void shouldBatchFramesOfOtherStreamsThatQueuedBehindARunningCall() throws Exception {
        // Given
        RecordingEngine delegate = new RecordingEngine(true);
        try (BatchingEngine engine = new BatchingEngine(delegate, 8, Duration.ofMillis(50))) {
            CompletableFuture<List<FrameFeatures>> first = submit(engine, request("a", 1));
            await(delegate.firstCallEntered);

            // When: three streams submit while the first call runs
            CompletableFuture<List<FrameFeatures>> b = submit(engine, request("b", 1));
            CompletableFuture<List<FrameFeatures>> c = submit(engine, request("c", 1), request("c", 2));
            CompletableFuture<List<FrameFeatures>> d = submit(engine, request("d", 1));
            waitUntilQueued(engine, delegate, 3);
            delegate.releaseFirstCall.countDown();

            // Then: one more call with all of them, each caller gets its own outputs in order
            assertThat(first.get(30, TimeUnit.SECONDS)).extracting(FrameFeatures::streamId).containsExactly("a");
            assertThat(c.get(30, TimeUnit.SECONDS)).extracting(FrameFeatures::seq).containsExactly(1L, 2L);
            assertThat(b.get(30, TimeUnit.SECONDS)).extracting(FrameFeatures::streamId).containsExactly("b");
            assertThat(d.get(30, TimeUnit.SECONDS)).extracting(FrameFeatures::streamId).containsExactly("d");
            assertThat(delegate.calls).hasSize(2);
            assertThat(delegate.calls.get(1)).containsExactlyInAnyOrder("b", "c", "c", "d");
            assertThat(engine.frames()).isEqualTo(5);
        }
    }

    @Test
    void shouldNeverPutMoreThanMaxSizeFramesInOneCallNorSplitACaller() throws Exception {
        // Given
        RecordingEngine delegate = new RecordingEngine(true);
        try (BatchingEngine engine = new BatchingEngine(delegate, 2, Duration.ZERO)) {
            CompletableFuture<List<FrameFeatures>> first = submit(engine, request("a", 1));
            await(delegate.firstCallEntered);

            // When
            List<CompletableFuture<List<FrameFeatures>>> queued = List.of(submit(engine, request("b", 1)),
                    submit(engine, request("c", 1), request("c", 2)), submit(engine, request("d", 1)));
            waitUntilQueued(engine, delegate, 3);
            delegate.releaseFirstCall.countDown();
            first.get(30, TimeUnit.SECONDS);
            for (CompletableFuture<List<FrameFeatures>> f : queued) {
                f.get(30, TimeUnit.SECONDS);
            }

            // Then
            assertThat(delegate.calls.subList(1, delegate.calls.size())).allSatisfy(call -> {
                assertThat(call.size()).isLessThanOrEqualTo(2);
                assertThat(call.contains("c") ? call : List.of("c", "c")).containsExactly("c", "c");
            });
            assertThat(delegate.calls.stream().mapToInt(List::size).sum()).isEqualTo(5);
        }
    }

    @Test
    void shouldFailEveryCallerOfAFailedBatchAndKeepServingAfterwards() throws Exception {
        // Given
        RecordingEngine delegate = new RecordingEngine(true);
        try (BatchingEngine engine = new BatchingEngine(delegate, 8, Duration.ZERO)) {
            CompletableFuture<List<FrameFeatures>> first = submit(engine, request("a", 1));
            await(delegate.firstCallEntered);
            CompletableFuture<List<FrameFeatures>> b = submit(engine, request("b", 1));
            CompletableFuture<List<FrameFeatures>> c = submit(engine, request("c", 1));
            waitUntilQueued(engine, delegate, 2);

            // When
            delegate.failure = new EngineException("boom");
            delegate.releaseFirstCall.countDown();

            // Then
            assertThatThrownBy(() -> first.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(EngineException.class);
            assertThatThrownBy(() -> b.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("boom");
            assertThatThrownBy(() -> c.get(30, TimeUnit.SECONDS)).hasRootCauseMessage("boom");
            delegate.failure = null;
            assertThat(engine.encodeFrames(List.of(request("e", 1)))).hasSize(1);
        }
        assertThat(delegate.closed).isTrue();
    }

    /** The queued callers are parked inside encodeFrames; poll the queue size through a probe call count. */
    private static void waitUntilQueued(BatchingEngine engine, RecordingEngine delegate, int callers)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (engine.queuedCallers() < callers) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("callers did not queue: " + engine.queuedCallers() + " of " + callers
                        + ", delegate calls " + delegate.calls);
            }
            Thread.sleep(5);
        }
    }
}
