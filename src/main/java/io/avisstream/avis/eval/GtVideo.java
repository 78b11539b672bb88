package io.avisstream.avis.eval;

import java.util.List;

/**
 * A GT video: one sequence of the evaluator.
 *
 * @param name first path component of {@code file_names[0]} (sequences are processed in this name's order)
 * @param frames T, the number of {@code file_names}
 * @param tracks the video's annotations in GT-file order
 */
public record GtVideo(int id, String name, int frames, int height, int width, List<GtTrack> tracks) {
    public GtVideo {
        tracks = List.copyOf(tracks);
    }
}
