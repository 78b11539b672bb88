package io.avisstream.avis.score;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.avisstream.avis.message.Json;

/**
 * One video of an AVISeg-format split file: its id, name (the folder of its frames), frame files and size.
 *
 * @param fileNames frame paths relative to {@code <media>/JPEGImages}, one per annotated frame (1 fps)
 */
record SplitVideo(int id, String name, List<String> fileNames, int height, int width) {

    int length() {
        return fileNames.size();
    }

    /** The videos of a split file, in file order. */
    static List<SplitVideo> read(Path split) throws IOException {
        JsonNode root = Json.MAPPER.readTree(split.toFile());
        JsonNode videos = root.path("videos");
        if (!videos.isArray()) {
            throw new IllegalArgumentException(split + ": expected {\"videos\": [...]} (AVISeg split file)");
        }
        List<SplitVideo> out = new ArrayList<>();
        for (JsonNode v : videos) {
            List<String> files = new ArrayList<>();
            v.path("file_names").forEach(f -> files.add(f.asText()));
            if (files.isEmpty() || !v.path("id").isIntegralNumber()) {
                throw new IllegalArgumentException(split + ": a video without id or file_names: " + v);
            }
            String first = files.get(0);
            int slash = first.indexOf('/');
            String name = slash > 0 ? first.substring(0, slash) : String.valueOf(v.get("id").asInt());
            out.add(new SplitVideo(v.get("id").asInt(), name, files, v.path("height").asInt(), v.path("width").asInt()));
        }
        return out;
    }
}
