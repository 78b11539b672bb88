package io.avisstream.avis.eval;

import java.util.List;
import java.util.Optional;

/** A parsed AVISeg annotation file: classes in file order, videos in file order. */
public record GroundTruth(List<Category> categories, List<GtVideo> videos) {
    public GroundTruth {
        categories = List.copyOf(categories);
        videos = List.copyOf(videos);
    }

    public Optional<GtVideo> video(int id) {
        return videos.stream().filter(v -> v.id() == id).findFirst();
    }

    public Optional<GtVideo> videoNamed(String name) {
        return videos.stream().filter(v -> v.name().equals(name)).findFirst();
    }
}
