package io.avisstream.avis.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The model's memory of one stream: the last W-1 inferred frames (oldest first) that the video graph sees next to
 * the newest one. Owned by the engine side: the caller keeps it per stream (the tracker store) and hands it back
 * with the next frame ({@link Engine#detect}); what is inside is the engine's business.
 *
 * @param frames earlier inferred frames, oldest first, at most W-1
 */
public record StreamWindow(List<PastFrame> frames) {
    private static final StreamWindow EMPTY = new StreamWindow(List.of());

    public StreamWindow {
        frames = List.copyOf(frames);
    }

    /** A stream's window before its first inferred frame. */
    public static StreamWindow empty() {
        return EMPTY;
    }

    /** The video stage's input: this window's frames, then {@code current}. */
    public WindowRequest request(FrameFeatures current) {
        List<float[]> queries = new ArrayList<>(frames.size());
        List<float[]> audio = new ArrayList<>(frames.size());
        for (PastFrame past : frames) {
            queries.add(past.frameQueries());
            audio.add(past.audioFeatures());
        }
        return new WindowRequest(current.streamId(), current.seq(), queries, audio, current);
    }

    /** This window with {@code newest} appended, keeping the last {@code windowFrames - 1} frames. */
    public StreamWindow append(FrameFeatures newest, int windowFrames) {
        List<PastFrame> next = new ArrayList<>(frames);
        next.add(PastFrame.of(newest.seq(), newest.frameQueries(), newest.audioFeatures()));
        while (next.size() > Math.max(0, windowFrames - 1)) {
            next.remove(0);
        }
        return new StreamWindow(next);
    }
}
