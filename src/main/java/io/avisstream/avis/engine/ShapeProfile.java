package io.avisstream.avis.engine;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * TensorRT optimisation profile of one graph: min, opt and max shape per dynamic input. Rendered in the
 * {@code name:AxBxC,...} syntax of ONNX Runtime's {@code trt_profile_*_shapes} options.
 */
public record ShapeProfile(Map<String, long[]> min, Map<String, long[]> opt, Map<String, long[]> max) {

    public static ShapeProfile none() {
        return new ShapeProfile(Map.of(), Map.of(), Map.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return min.isEmpty();
    }

    public String minShapes() {
        return render(min);
    }

    public String optShapes() {
        return render(opt);
    }

    public String maxShapes() {
        return render(max);
    }

    /** One line covering all three, for the plan cache key. */
    public String describe() {
        return "min=" + minShapes() + ";opt=" + optShapes() + ";max=" + maxShapes();
    }

    private static String render(Map<String, long[]> shapes) {
        return shapes.entrySet().stream()
                .map(e -> e.getKey() + ":" + java.util.Arrays.stream(e.getValue()).mapToObj(Long::toString)
                        .collect(Collectors.joining("x")))
                .collect(Collectors.joining(","));
    }

    public static final class Builder {
        private final Map<String, long[]> min = new LinkedHashMap<>();
        private final Map<String, long[]> opt = new LinkedHashMap<>();
        private final Map<String, long[]> max = new LinkedHashMap<>();

        public Builder input(String name, long[] minShape, long[] optShape, long[] maxShape) {
            if (minShape.length != optShape.length || optShape.length != maxShape.length) {
                throw new IllegalArgumentException("profile of " + name + " mixes ranks");
            }
            for (int i = 0; i < minShape.length; i++) {
                if (minShape[i] > optShape[i] || optShape[i] > maxShape[i]) {
                    throw new IllegalArgumentException("profile of " + name + " needs min <= opt <= max on axis " + i);
                }
            }
            min.put(name, minShape);
            opt.put(name, optShape);
            max.put(name, maxShape);
            return this;
        }

        public ShapeProfile build() {
            // Insertion order is kept: the rendered strings are part of the plan cache key.
            return new ShapeProfile(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(min)),
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(opt)),
                    java.util.Collections.unmodifiableMap(new LinkedHashMap<>(max)));
        }
    }
}
