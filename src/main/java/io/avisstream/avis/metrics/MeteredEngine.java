package io.avisstream.avis.metrics;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.avisstream.avis.engine.BatchingEngine;
import io.avisstream.avis.engine.Engine;
import io.avisstream.avis.engine.EngineInfo;
import io.avisstream.avis.engine.FrameFeatures;
import io.avisstream.avis.engine.FrameRequest;
import io.avisstream.avis.engine.StageTimings;
import io.avisstream.avis.engine.WindowRequest;
import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.FrameDetections;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;

/**
 * The engine with its calls timed: {@code encode} (per-frame stage: log-mel, audio and frame graphs), {@code decode}
 * (video graph and candidate scoring), {@code fresh} (fresh masks of a frame between inferences) and {@code post}
 * (mask decoding at frame size, read from the engine's own
 * {@link StageTimings} as the post-processing time its video-stage call added; absent for engines that keep none),
 * plus the frames per frame-graph call (the cross-stream batch when the engine batches, else the caller's).
 * With several stream threads the post share of one call may include another thread's; the sums stay right.
 * {@link Engine#detect} is the interface's own composition, so on this engine it runs the timed stages.
 */
final class MeteredEngine implements Engine {
    private final Engine delegate;
    private final Timer encode;
    private final Timer decode;
    private final Timer post;
    private final Timer fresh;
    private final DistributionSummary batchSize;
    private final boolean batchesReported;

    MeteredEngine(Engine delegate, Timer encode, Timer decode, Timer post, Timer fresh, DistributionSummary batchSize) {
        this.delegate = delegate;
        this.fresh = fresh;
        this.encode = encode;
        this.decode = decode;
        this.post = post;
        this.batchSize = batchSize;
        if (delegate instanceof BatchingEngine batching) {
            batching.onBatch(batchSize::record);
            batchesReported = true;
        } else {
            batchesReported = false;
        }
    }

    @Override
    public EngineInfo info() {
        return delegate.info();
    }

    @Override
    public List<FrameFeatures> encodeFrames(List<FrameRequest> batch) {
        long t0 = System.nanoTime();
        List<FrameFeatures> out = delegate.encodeFrames(batch);
        encode.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        if (!batchesReported) {
            batchSize.record(batch.size());
        }
        return out;
    }

    @Override
    public List<FrameDetections> decodeWindows(List<WindowRequest> batch) {
        StageTimings timings = delegate.decodeTimings();
        long post0 = timings == null ? 0 : timings.micros(StageTimings.Stage.POSTPROCESS);
        long t0 = System.nanoTime();
        List<FrameDetections> out = delegate.decodeWindows(batch);
        long total = System.nanoTime() - t0;
        long postNanos = timings == null ? 0 : Math.max(0, (timings.micros(StageTimings.Stage.POSTPROCESS) - post0) * 1000);
        postNanos = Math.min(postNanos, total);
        decode.record(total - postNanos, TimeUnit.NANOSECONDS);
        if (timings != null) {
            post.record(postNanos, TimeUnit.NANOSECONDS);
        }
        return out;
    }

    @Override
    public Optional<List<BinaryMask>> masksFor(FrameRequest frame, List<float[]> maskEmbeddings) {
        long t0 = System.nanoTime();
        Optional<List<BinaryMask>> out = delegate.masksFor(frame, maskEmbeddings);
        if (out.isPresent()) {
            fresh.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
        }
        return out;
    }

    @Override
    public StageTimings encodeTimings() {
        return delegate.encodeTimings();
    }

    @Override
    public StageTimings decodeTimings() {
        return delegate.decodeTimings();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
