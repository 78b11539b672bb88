package io.avisstream.avis.ingest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where media comes from: a file, a network URL FFmpeg opens itself ({@code rtsp://}, {@code http(s)://},
 * {@code udp://}, {@code rtp://}, {@code srt://}, ...) or a V4L2 capture device ({@code /dev/video0}). A URL is kept
 * as the exact string given (a {@link Path} would fold {@code rtsp://} into {@code rtsp:/}).
 *
 * @param location the file path, URL or device as given
 * @param kind what the location is
 */
public record MediaSource(String location, Kind kind) {

    private static final Pattern URL = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://.+");

    public enum Kind {
        FILE, NETWORK, DEVICE
    }

    public MediaSource {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("an input is required");
        }
    }

    /** Classifies a command-line input. {@code file://} URLs are files. */
    public static MediaSource parse(String input) {
        if (input == null || input.isBlank()) {
            throw new IllegalArgumentException("--input needs a file, URL or device");
        }
        if (URL.matcher(input).matches()) {
            if (input.toLowerCase(Locale.ROOT).startsWith("file://")) {
                return new MediaSource(input.substring("file://".length()), Kind.FILE);
            }
            return new MediaSource(input, Kind.NETWORK);
        }
        if (input.startsWith("/dev/video")) {
            return new MediaSource(input, Kind.DEVICE);
        }
        return new MediaSource(input, Kind.FILE);
    }

    public static MediaSource file(Path file) {
        return new MediaSource(file.toString(), Kind.FILE);
    }

    /** A network stream or a device: it can drop and come back, so the reader may reconnect. */
    public boolean reconnectable() {
        return kind != Kind.FILE;
    }

    /** Lower-case URL scheme ({@code rtsp}, {@code udp}, ...), or empty for files and devices. */
    public String scheme() {
        if (kind != Kind.NETWORK) {
            return "";
        }
        return location.substring(0, location.indexOf("://")).toLowerCase(Locale.ROOT);
    }

    /** The location with any user:password removed, for logs and messages. */
    public String redacted() {
        if (kind != Kind.NETWORK) {
            return location;
        }
        return location.replaceFirst("://[^/@]+@", "://***@");
    }

    /** For files: whether it exists and is readable (anything else is checked by FFmpeg when opened). */
    public boolean readableFile() {
        return kind != Kind.FILE || (Files.isRegularFile(Path.of(location)) && Files.isReadable(Path.of(location)));
    }

    @Override
    public String toString() {
        return redacted();
    }
}
