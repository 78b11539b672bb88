package io.avisstream.avis.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.FrameDetections;

/**
 * Cross-stream micro-batching of the per-frame stage: frames that stream tasks submit while the engine is busy
 * are run together in one call (up to {@code maxSize} frames), because that is where GPU throughput comes from.
 *
 * <p>No added latency without contention: a caller that finds the engine idle runs its own frames at once on
 * its own thread. Only frames that queued up behind a running batch are gathered, by one shared executor thread,
 * which may wait up to {@code maxWait} for the batch to fill. A caller's frames are never split across calls, and
 * output {@code i} still belongs to request {@code i}. The video stage has no batch axis (one window per call),
 * so {@link #decodeWindows} goes straight through.
 */
public final class BatchingEngine implements Engine {

    private record Pending(List<FrameRequest> requests, CompletableFuture<List<FrameFeatures>> result) {
    }

    private final Engine delegate;
    private final int maxSize;
    private final long maxWaitNanos;
    private final ExecutorService executor;
    private final Object lock = new Object();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();
    private volatile java.util.function.IntConsumer batchListener = n -> {
    };
    private int queuedFrames;
    private boolean running;
    private boolean closed;

    public BatchingEngine(Engine delegate, int maxSize, java.time.Duration maxWait) {
        if (maxSize < 1) {
            throw new IllegalArgumentException("avis.engine.batch.max-size must be >= 1, got " + maxSize);
        }
        this.delegate = delegate;
        this.maxSize = maxSize;
        this.maxWaitNanos = maxWait.toNanos();
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "avis-engine-batcher");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public EngineInfo info() {
        return delegate.info();
    }

    /** Frame-graph calls made so far (for the bench's mean batch size). */
    public long batches() {
        return batches.get();
    }

    /** Called with the frame count of every frame-graph call this engine makes (metrics). */
    public void onBatch(java.util.function.IntConsumer listener) {
        this.batchListener = listener;
    }

    /** Callers currently waiting for a batch (observability and tests). */
    public int queuedCallers() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /** Frames run so far. */
    public long frames() {
        return frames.get();
    }

    @Override
    public List<FrameFeatures> encodeFrames(List<FrameRequest> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        Pending pending = new Pending(List.copyOf(batch), new CompletableFuture<>());
        boolean lead;
        synchronized (lock) {
            if (closed) {
                throw new EngineException("engine is closed");
            }
            queue.add(pending);
            queuedFrames += batch.size();
            lead = !running;
            running = true;
            lock.notifyAll();
        }
        if (lead) {
            run(take());
            handOff();
        }
        try {
            return pending.result().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new EngineException("frame batch failed", e.getCause());
        }
    }

    /** After a batch: stop if nothing queued meanwhile, else let the shared executor gather and run the rest. */
    private void handOff() {
        synchronized (lock) {
            if (queue.isEmpty()) {
                running = false;
                return;
            }
        }
        executor.execute(this::drain);
    }

    private void drain() {
        while (true) {
            List<Pending> work;
            synchronized (lock) {
                long deadline = System.nanoTime() + maxWaitNanos;
                long left;
                while (queuedFrames < maxSize && !closed && (left = deadline - System.nanoTime()) > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
                work = takeLocked();
                if (work.isEmpty()) {
                    running = false;
                    return;
                }
            }
            run(work);
        }
    }

    private List<Pending> take() {
        synchronized (lock) {
            return takeLocked();
        }
    }

    /** Whole callers, oldest first, as many as fit in {@code maxSize} frames (always at least one). */
    private List<Pending> takeLocked() {
        List<Pending> work = new ArrayList<>();
        int size = 0;
        while (!queue.isEmpty()) {
            int next = queue.peek().requests().size();
            if (!work.isEmpty() && size + next > maxSize) {
                break;
            }
            Pending p = queue.poll();
            work.add(p);
            size += next;
            queuedFrames -= next;
        }
        return work;
    }

    private void run(List<Pending> work) {
        if (work.isEmpty()) {
            return;
        }
        List<FrameRequest> all = new ArrayList<>();
        for (Pending p : work) {
            all.addAll(p.requests());
        }
        try {
            List<FrameFeatures> results = delegate.encodeFrames(all);
            batches.incrementAndGet();
            frames.addAndGet(all.size());
            batchListener.accept(all.size());
            int offset = 0;
            for (Pending p : work) {
                int n = p.requests().size();
                p.result().complete(List.copyOf(results.subList(offset, offset + n)));
                offset += n;
            }
        } catch (RuntimeException | Error e) {
            for (Pending p : work) {
                p.result().completeExceptionally(e);
            }
        }
    }

    @Override
    public List<FrameDetections> decodeWindows(List<WindowRequest> batch) {
        return delegate.decodeWindows(batch);
    }

    /** One frame's own m_t: nothing to batch across streams, so straight through like the video stage. */
    @Override
    public Optional<List<BinaryMask>> masksFor(FrameRequest frame, List<float[]> maskEmbeddings) {
        return delegate.masksFor(frame, maskEmbeddings);
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
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            lock.notifyAll();
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
        delegate.close();
    }
}
