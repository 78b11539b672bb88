package io.avisstream.avis.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;

/**
 * Makes a masks record fit the masks topic's record size limit, so that every frame still gets its one record.
 *
 * <p>A record the broker refuses ({@code RecordTooLargeException}) is not a skippable send under exactly-once: the
 * transaction becomes abortable, the task is retried on the same frame and fails again, for ever. So a record is made
 * to fit before it is sent: the largest masks are left out first ({@link InstanceMessage#withoutMask()}: an all-zero
 * mask with {@code maskDropped=true}, track id, class, score, sounding flag and bbox kept) until the record fits;
 * should it still not fit without any mask, the lowest-scoring instances are left out and counted in
 * {@code instancesDropped}. A record that fits is returned as it is (the same object).
 */
final class MasksFit {
    /** Room for the record batch and record overhead, key and headers around the value (as for dead letters). */
    static final int SLACK = 1024;
    /** {@code ,"maskDropped":true} */
    private static final int DROPPED_FLAG = 19;

    private MasksFit() {
    }

    /** The value limit for a masks topic of {@code maxMessageBytes}. */
    static int budget(int maxMessageBytes) {
        return Math.max(1, maxMessageBytes - SLACK);
    }

    static MasksMessage fit(MasksMessage masks, int budget) {
        if (size(masks) <= budget) {
            return masks;
        }
        List<InstanceMessage> instances = new ArrayList<>(masks.instances());
        // Largest encoded mask first; ties by position, so the result is deterministic.
        List<Integer> bySize = IntStream.range(0, instances.size()).boxed()
                .sorted(Comparator.<Integer>comparingInt(i -> instances.get(i).mask().counts().length()).reversed()
                        .thenComparing(i -> i))
                .toList();
        MasksMessage fitted = masks;
        // Encoding a record of megabytes per step would be slow: the size is estimated from what each step removes
        // (the counts string, JSON-escaped, for the empty mask's and the flag), and checked by encoding when it fits.
        long estimate = size(masks);
        for (int i : bySize) {
            InstanceMessage full = instances.get(i);
            if (full.maskDropped()) {
                continue;
            }
            InstanceMessage without = full.withoutMask();
            instances.set(i, without);
            estimate -= jsonLength(full.mask().counts()) - jsonLength(without.mask().counts()) - DROPPED_FLAG;
            if (estimate <= budget) {
                fitted = masks.withInstances(instances, masks.instancesDropped());
                estimate = size(fitted);
                if (estimate <= budget) {
                    return fitted;
                }
            }
        }
        fitted = masks.withInstances(instances, masks.instancesDropped());
        // Still too large without masks (a tiny limit): keep the highest scores.
        List<InstanceMessage> kept = new ArrayList<>(instances);
        int dropped = masks.instancesDropped();
        while (!kept.isEmpty() && size(fitted) > budget) {
            int lowest = IntStream.range(0, kept.size()).boxed()
                    .min(Comparator.<Integer>comparingDouble(i -> kept.get(i).score()).thenComparing(i -> -i))
                    .orElseThrow();
            kept.remove(lowest);
            dropped++;
            fitted = masks.withInstances(kept, dropped);
        }
        return fitted;
    }

    /** Bytes of a counts string inside JSON: its characters ('0'..'o'), a backslash escaped as two. */
    private static long jsonLength(String counts) {
        return counts.length() + counts.chars().filter(c -> c == '\\').count();
    }

    static int size(MasksMessage masks) {
        return MessageCodec.MASKS.encode(masks).length;
    }
}
