package io.avisstream.avis.eval;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads one RLE dict {@code {"size": [h, w], "counts": "<string>" | [int, ...]}} of an input file. */
final class Masks {

    private Masks() {
    }

    static Rle rle(String file, JsonNode d, String where) {
        JsonNode size = d.get("size");
        JsonNode counts = d.get("counts");
        if (!d.isObject() || size == null || !size.isArray() || size.size() != 2 || !size.get(0).isIntegralNumber()
                || !size.get(1).isIntegralNumber() || counts == null) {
            throw EvalDataException.at(file, where, "expected an RLE {\"size\": [h, w], \"counts\": ...}");
        }
        int h = size.get(0).asInt();
        int w = size.get(1).asInt();
        try {
            if (counts.isTextual()) {
                return Rle.ofString(h, w, counts.asText());
            }
            if (counts.isArray()) {
                long[] runs = new long[counts.size()];
                for (int i = 0; i < runs.length; i++) {
                    if (!counts.get(i).isIntegralNumber()) {
                        throw new IllegalArgumentException("counts[" + i + "] is not an integer");
                    }
                    runs[i] = counts.get(i).asLong();
                }
                return Rle.ofCounts(h, w, runs);
            }
        } catch (IllegalArgumentException e) {
            throw EvalDataException.at(file, where, "bad RLE: " + e.getMessage());
        }
        throw EvalDataException.at(file, where, "RLE counts must be a string or a list of integers");
    }
}
