package io.avisstream.avis.dashboard;

import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.avisstream.avis.media.FrameImages;
import io.avisstream.avis.media.VideoFrame;
import io.avisstream.avis.message.EventMessage;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.topology.PipelineObserver;

/**
 * What the dashboard shows of the streams this instance owns, kept in memory: per stream the latest frame with its
 * masks record (a reference swap on the stream thread; the JPEG is made on the first request for that frame and
 * cached), and the last events, pushed to the event-feed subscribers as they happen. Nothing is stored or
 * changelogged: after a restart or a rebalance the view fills again with the next frame of each stream.
 */
@ApplicationScoped
public class LiveView implements PipelineObserver {
    private static final Logger LOG = Logger.getLogger(LiveView.class);

    /** A stream's latest frame and the masks record of that frame. */
    record Latest(FrameMessage frame, MasksMessage masks) {
    }

    /** The latest frame as served: JPEG bytes (downscaled) and the masks record they belong to. */
    public record Snapshot(MasksMessage masks, byte[] jpeg, int jpegWidth, int jpegHeight) {
    }

    private final DashboardConfig config;
    private final Map<String, Latest> latest = new ConcurrentHashMap<>();
    private final Map<String, Snapshot> encoded = new ConcurrentHashMap<>();
    private final ArrayDeque<EventMessage> history = new ArrayDeque<>();
    private final List<Consumer<EventMessage>> subscribers = new CopyOnWriteArrayList<>();

    @Inject
    public LiveView(DashboardConfig config) {
        this.config = config;
    }

    @Override
    public void masksOut(FrameMessage frame, MasksMessage masks, int liveTracks) {
        latest.put(masks.streamId(), new Latest(frame, masks));
    }

    @Override
    public void event(EventMessage event) {
        synchronized (history) {
            history.addLast(event);
            while (history.size() > Math.max(0, config.eventHistory())) {
                history.removeFirst();
            }
        }
        for (Consumer<EventMessage> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                LOG.debugf(e, "event subscriber failed; dropping it");
                subscribers.remove(s);
            }
        }
    }

    /** The latest masks record of every stream this instance has seen, by stream id. */
    public List<MasksMessage> streams() {
        List<MasksMessage> out = new ArrayList<>();
        latest.values().forEach(l -> out.add(l.masks()));
        out.sort(java.util.Comparator.comparing(MasksMessage::streamId));
        return out;
    }

    /** The stream's latest frame as JPEG with its masks record, or empty when this instance has not seen it. */
    public Optional<Snapshot> snapshot(String streamId) {
        Latest l = latest.get(streamId);
        if (l == null) {
            return Optional.empty();
        }
        Snapshot cached = encoded.get(streamId);
        if (cached != null && cached.masks() == l.masks()) {
            return Optional.of(cached);
        }
        Snapshot s = encode(l);
        encoded.put(streamId, s);
        return Optional.of(s);
    }

    /** The events kept, oldest first. */
    public List<EventMessage> recentEvents() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** Calls {@code subscriber} with every event from now on (on a stream thread: it must not block). */
    public Runnable subscribe(Consumer<EventMessage> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    private Snapshot encode(Latest l) {
        VideoFrame frame = FrameImages.decode(l.frame());
        int w = frame.width();
        int h = frame.height();
        BufferedImage full = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        byte[] rgb = frame.rgb();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                row[x] = ((rgb[i] & 0xff) << 16) | ((rgb[i + 1] & 0xff) << 8) | (rgb[i + 2] & 0xff);
            }
            full.setRGB(0, y, w, 1, row, 0, w);
        }
        BufferedImage out = full;
        int maxWidth = Math.max(16, config.maxWidth());
        if (w > maxWidth) {
            int sh = Math.max(1, Math.round(h * (float) maxWidth / w));
            out = new BufferedImage(maxWidth, sh, BufferedImage.TYPE_INT_RGB);
            var g = out.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(full, 0, 0, maxWidth, sh, null);
            g.dispose();
        }
        return new Snapshot(l.masks(), jpeg(out, config.jpegQuality()), out.getWidth(), out.getHeight());
    }

    static byte[] jpeg(BufferedImage image, int quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(Math.max(1, Math.min(100, quality)) / 100f);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
