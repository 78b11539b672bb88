package io.avisstream.avis.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Maps independent work items (videos, classes, file entries) on the common pool. Results keep the input order,
 * and when several items fail, the exception of the lowest index is thrown, so output and error messages do
 * not depend on scheduling.
 */
final class Parallel {

    private Parallel() {
    }

    static <R> List<R> map(int n, IntFunction<R> work) {
        Object[] out = new Object[n];
        RuntimeException[] failed = new RuntimeException[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            try {
                out[i] = work.apply(i);
            } catch (RuntimeException e) {
                failed[i] = e;
            }
        });
        List<R> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (failed[i] != null) {
                throw failed[i];
            }
            @SuppressWarnings("unchecked")
            R r = (R) out[i];
            results.add(r);
        }
        return results;
    }
}
