package io.avisstream.avis.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns the service's {@code avis.masks.v1} records (one JSON object per line) into official-style
 * predictions: one per (stream, trackId).
 *
 * <ul>
 * <li>stream to GT video: {@code --video-map} ({@code {"streamId": "videoName"}}) else stream id == video name;
 * records of other streams are skipped;
 * <li>only {@code inferred=true} records; frame = round(ptsMicros / 1e6) half up (AVISeg is annotated at
 * 1 fps); frames outside [0, T) are skipped, and of several records on one frame the one nearest to the
 * frame's time wins (ties: the first in the file);
 * <li>only {@code sounding=true} instances unless {@code allInstances} (the GT annotates sounding objects only);
 * <li>class = the classId with the largest summed score over the track's frames (ties: the lower id),
 * category_id = classId + 1; score = mean score; mask on the frames where the track appears, null elsewhere;
 * <li>order: video name, then trackId (order matters to the official metrics, so it is fixed).
 * </ul>
 */
public final class MasksResults {

    private MasksResults() {
    }

    /**
     * The converted predictions plus what was skipped, for the report.
     *
     * @param soundingCounts per GT video name, the number of sounding instances of the record used for each frame,
     *        -1 for frames without a record (the service's count, for the sound accuracy)
     */
    public record Conversion(List<Prediction> predictions, int records, int skippedRecords, List<String> unknownStreams,
            Map<String, int[]> soundingCounts) {
    }

    private record Candidate(String where, JsonNode record, GtVideo video, int frame, long distance) {
    }

    private static final class TrackBuilder {
        final String video;
        final long trackId;
        final Rle[] masks;
        final Map<Integer, Double> classScore = new TreeMap<>();
        double scoreSum;
        int frames;

        TrackBuilder(String video, long trackId, int length) {
            this.video = video;
            this.trackId = trackId;
            this.masks = new Rle[length];
        }
    }

    public static Conversion convert(String file, List<String> lines, GroundTruth gt, Map<String, String> videoMap,
            boolean allInstances) {
        // pass 1: per (stream, frame) the inferred record nearest to the frame's time (ties: the first in the file)
        Map<String, Candidate> chosen = new LinkedHashMap<>();
        Set<String> unknown = new HashSet<>();
        int records = 0;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = "line " + (n + 1);
            JsonNode r;
            try {
                r = InputFiles.JSON.readTree(line);
            } catch (java.io.IOException e) {
                throw EvalDataException.at(file, where, "not a JSON object");
            }
            if (r == null || !r.isObject() || !r.path("streamId").isTextual() || !r.path("ptsMicros").isIntegralNumber()
                    || !r.path("instances").isArray()) {
                throw EvalDataException.at(file, where, "expected a masks record with streamId, ptsMicros, instances");
            }
            records++;
            String stream = r.get("streamId").asText();
            GtVideo video = gt.videoNamed(videoMap.getOrDefault(stream, stream)).orElse(null);
            if (video == null) {
                unknown.add(stream);
                continue;
            }
            long pts = r.get("ptsMicros").asLong();
            long frame = Math.round(pts / 1e6);
            if (!r.path("inferred").asBoolean(false) || frame < 0 || frame >= video.frames()) {
                continue;
            }
            Candidate c = new Candidate(where, r, video, (int) frame, Math.abs(pts - frame * 1_000_000));
            chosen.merge(stream + "\u0000" + frame, c, (old, cur) -> cur.distance() < old.distance() ? cur : old);
        }
        // pass 2: tracks from the chosen records, in file order
        List<Candidate> used = new ArrayList<>(chosen.values());
        used.sort(Comparator.comparingInt(c -> Integer.parseInt(c.where().substring(5))));
        Map<String, TrackBuilder> tracks = new LinkedHashMap<>();
        Map<String, int[]> soundingCounts = new TreeMap<>();
        for (Candidate c : used) {
            JsonNode instances = c.record().get("instances");
            int[] counts = soundingCounts.computeIfAbsent(c.video().name(), v -> {
                int[] none = new int[c.video().frames()];
                java.util.Arrays.fill(none, -1);
                return none;
            });
            counts[c.frame()] = 0;
            for (int i = 0; i < instances.size(); i++) {
                JsonNode in = instances.get(i);
                String at = c.where() + ".instances[" + i + "]";
                if (!in.path("trackId").isIntegralNumber() || !in.path("classId").isIntegralNumber()
                        || !in.path("score").isNumber() || !in.path("mask").isObject()) {
                    throw EvalDataException.at(file, at, "expected trackId, classId, score, sounding, mask");
                }
                boolean sounding = in.path("sounding").asBoolean(false);
                counts[c.frame()] += sounding ? 1 : 0;
                if (!allInstances && !sounding) {
                    continue;
                }
                long trackId = in.get("trackId").asLong();
                GtVideo video = c.video();
                TrackBuilder t = tracks.computeIfAbsent(video.name() + "\u0000" + trackId,
                        k -> new TrackBuilder(video.name(), trackId, video.frames()));
                t.masks[c.frame()] = Masks.rle(file, in.get("mask"), at + ".mask");
                double score = in.get("score").asDouble();
                t.scoreSum += score;
                t.frames++;
                t.classScore.merge(in.get("classId").asInt(), score, Double::sum);
            }
        }
        int skipped = records - used.size();
        List<TrackBuilder> ordered = new ArrayList<>(tracks.values());
        ordered.sort(Comparator.<TrackBuilder, String>comparing(t -> t.video, Evaluator::compareCodePoints)
                .thenComparingLong(t -> t.trackId));
        List<Prediction> out = new ArrayList<>();
        for (TrackBuilder t : ordered) {
            int classId = t.classScore.entrySet().stream()
                    .max(Comparator.<Map.Entry<Integer, Double>>comparingDouble(Map.Entry::getValue)
                            .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                    .orElseThrow().getKey();
            int videoId = gt.videoNamed(t.video).orElseThrow().id();
            out.add(new Prediction("stream of video '" + t.video + "' track " + t.trackId, videoId, classId + 1,
                    t.scoreSum / t.frames, t.masks));
        }
        return new Conversion(out, records, skipped, unknown.stream().sorted().toList(), soundingCounts);
    }
}
