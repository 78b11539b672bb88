package io.avisstream.avis.demo;

import java.util.List;

/**
 * What to draw on one frame of the annotated video.
 *
 * @param instances the frame's instances
 * @param note extra header text (e.g. {@code audio partial}, {@code from #40}), or empty
 */
public record FrameOverlay(List<InstanceOverlay> instances, String note) {
    public FrameOverlay {
        instances = List.copyOf(instances);
        note = note == null ? "" : note;
    }

    public static FrameOverlay empty() {
        return new FrameOverlay(List.of(), "");
    }

    public long soundingCount() {
        return instances.stream().filter(InstanceOverlay::sounding).count();
    }
}
