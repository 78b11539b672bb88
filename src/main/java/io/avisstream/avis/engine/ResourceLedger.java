package io.avisstream.avis.engine;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts native handles (sessions, tensors, results) as they are opened and closed, per kind. An engine with
 * {@link #openHandles()} == 0 after {@code close()} leaked nothing; the counting test asserts exactly that.
 */
public final class ResourceLedger {

    private final Map<String, AtomicLong> opened = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> closed = new ConcurrentHashMap<>();

    public void opened(String kind) {
        opened.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    public void closed(String kind) {
        closed.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
    }

    public long opens(String kind) {
        AtomicLong n = opened.get(kind);
        return n == null ? 0 : n.get();
    }

    /** Opened minus closed, over every kind. */
    public long openHandles() {
        long sum = 0;
        for (Map.Entry<String, AtomicLong> e : opened.entrySet()) {
            AtomicLong c = closed.get(e.getKey());
            sum += e.getValue().get() - (c == null ? 0 : c.get());
        }
        return sum;
    }

    @Override
    public String toString() {
        Map<String, String> view = new TreeMap<>();
        opened.forEach((k, v) -> view.put(k, v.get() + " opened / " + (closed.containsKey(k) ? closed.get(k).get() : 0)
                + " closed"));
        return view.toString();
    }
}
