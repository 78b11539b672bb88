package io.avisstream.avis.demo;

import io.avisstream.avis.ingest.DecodedFrame;
import io.avisstream.avis.ingest.MediaInfo;
import io.avisstream.avis.ingest.MediaReader;
import io.avisstream.avis.ingest.MediaSample;
import io.avisstream.avis.ingest.Mp4Writer;
import io.avisstream.avis.ingest.PcmChunker;
import io.avisstream.avis.media.VideoFrame;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongFunction;
import org.jboss.logging.Logger;

/**
 * Re-decodes a clip and writes it again with every frame annotated ({@link FrameAnnotator}) and the clip's original
 * audio track muxed back in (copied packet for packet: same codec, rate and channels). Frames are matched to overlays by their 0-based seq,
 * the same numbering the producer used, so decoding twice is deterministic.
 */
public final class AnnotatedVideoRenderer {

    private static final Logger LOG = Logger.getLogger(AnnotatedVideoRenderer.class);

    private final FrameAnnotator annotator = new FrameAnnotator();

    /**
     * Summary of one rendering.
     *
     * @param frames frames written
     * @param framesWithInstances frames that had at least one instance drawn
     * @param instances instances drawn over all frames
     * @param videoCodec encoder used
     */
    public record Result(Path output, long frames, long framesWithInstances, long instances, String videoCodec) {
    }

    /**
     * Renders {@code input} to {@code output}.
     *
     * @param overlays overlay for a frame seq; frames it has nothing for are copied with the header only
     */
    public Result render(Path input, Path output, LongFunction<Optional<FrameOverlay>> overlays) {
        try (MediaReader reader = MediaReader.open(input, PcmChunker.samplesFor(100))) {
            MediaInfo info = reader.info();
            // Containers without a rate (rare for mp4) still need a grid to place frames on.
            int fpsNum = info.frameRateNum() > 0 ? info.frameRateNum() : 25;
            int fpsDen = info.frameRateNum() > 0 ? info.frameRateDen() : 1;
            long frames = 0;
            long withInstances = 0;
            long instances = 0;
            String codec;
            // The clip's own audio track is copied, not re-encoded from the 16 kHz mono PCM the model hears.
            try (Mp4Writer writer = Mp4Writer.createCopyingAudio(output, info.width(), info.height(), fpsNum, fpsDen,
                    input)) {
                codec = writer.videoCodecName();
                for (Optional<MediaSample> next = reader.next(); next.isPresent(); next = reader.next()) {
                    MediaSample sample = next.get();
                    if (sample instanceof DecodedFrame frame) {
                        FrameOverlay overlay = overlays.apply(frame.seq()).orElse(FrameOverlay.empty());
                        VideoFrame annotated = annotator.annotate(frame.frame(), overlay.instances(),
                                header(frame, overlay));
                        writer.copyAudioUntil(frame.ptsMicros());
                        writer.writeVideo(annotated, frame.ptsMicros());
                        frames++;
                        instances += overlay.instances().size();
                        withInstances += overlay.instances().isEmpty() ? 0 : 1;
                    }
                }
            }
            LOG.debugf("rendered input=%s output=%s frames=%d instances=%d codec=%s", input, output, frames, instances,
                    codec);
            return new Result(output, frames, withInstances, instances, codec);
        }
    }

    static String header(DecodedFrame frame, FrameOverlay overlay) {
        String base = String.format(Locale.ROOT, "FRAME %d  T=%.2fS  SOUNDING %d/%d", frame.seq(),
                frame.ptsMicros() / 1e6, overlay.soundingCount(), overlay.instances().size());
        return overlay.note().isEmpty() ? base : base + "  " + overlay.note();
    }
}
