package io.avisstream.avis.dlq;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

import io.avisstream.avis.message.DlqReason;

/**
 * Header names and construction of dead-letter records. A dead letter keeps the original key and value bytes;
 * the headers say why and where it came from.
 */
public final class DeadLetters {
    public static final String REASON = "avis.dlq.reason";
    public static final String DETAIL = "avis.dlq.detail";
    public static final String STAGE = "avis.dlq.stage";
    public static final String SOURCE_TOPIC = "avis.dlq.source.topic";
    public static final String SOURCE_PARTITION = "avis.dlq.source.partition";
    public static final String SOURCE_OFFSET = "avis.dlq.source.offset";
    public static final String SOURCE_TIMESTAMP = "avis.dlq.source.timestamp";
    public static final String EXCEPTION_CLASS = "avis.dlq.exception.class";
    /** Present when the value was cut to fit the dead-letter topic: the original value size in bytes. */
    public static final String TRUNCATED = "avis.dlq.truncated";
    /** Present when the key was cut to fit: the original key size in bytes. */
    public static final String KEY_TRUNCATED = "avis.dlq.key-truncated";
    /** Present when the original record's own headers were left out to fit: how many there were. */
    public static final String HEADERS_DROPPED = "avis.dlq.headers-dropped";
    /** Bytes kept free below the limit (the producer's size check is an upper bound; this absorbs rounding). */
    static final int SLACK = 512;
    /** Bytes of a key kept when the key alone does not fit. */
    static final int KEPT_KEY_BYTES = 1024;

    /** Longest detail kept in a header (a schema message can be long). */
    static final int MAX_DETAIL = 1000;

    private DeadLetters() {
    }

    /**
     * Builds the dead-letter headers. {@code partition}/{@code offset} are -1 when unknown (punctuation),
     * {@code exceptionClass} may be null.
     */
    public static Headers headers(Headers original, DlqReason reason, String detail, String stage, String sourceTopic,
            int partition, long offset, long timestamp, String exceptionClass) {
        RecordHeaders headers = new RecordHeaders(original == null ? null : original.toArray());
        for (String name : new String[] { REASON, DETAIL, STAGE, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET,
                SOURCE_TIMESTAMP, EXCEPTION_CLASS }) {
            headers.remove(name);
        }
        put(headers, REASON, reason.name());
        put(headers, DETAIL, detail == null ? "" : truncate(detail));
        put(headers, STAGE, stage);
        put(headers, SOURCE_TOPIC, sourceTopic == null ? "" : sourceTopic);
        put(headers, SOURCE_PARTITION, Integer.toString(partition));
        put(headers, SOURCE_OFFSET, Long.toString(offset));
        put(headers, SOURCE_TIMESTAMP, Long.toString(timestamp));
        put(headers, EXCEPTION_CLASS, exceptionClass == null ? "" : exceptionClass);
        return headers;
    }

    /** A dead letter as it will be written: key, value and headers that fit the limit it was fitted to. */
    public record DeadLetter(byte[] key, byte[] value, Headers headers) {
    }

    /**
     * Makes a dead letter fit in {@code maxBytes} (the smaller of the dead-letter topic's {@code max.message.bytes}
     * and the producer's {@code max.request.size}): a record that would not fit is never sent, since a send that
     * fails inside the exactly-once transaction fails the whole task, and its source record would come back on
     * every restart. First the value is cut (header {@link #TRUNCATED} = original size), then the original record's
     * own headers are left out ({@link #HEADERS_DROPPED}), then the key is cut ({@link #KEY_TRUNCATED}). The avis
     * headers always stay. Records that fit are returned unchanged (same arrays).
     */
    public static DeadLetter fit(byte[] key, byte[] value, Headers headers, int maxBytes) {
        int budget = maxBytes - SLACK;
        if (size(key, value, headers) <= budget) {
            return new DeadLetter(key, value, headers);
        }
        Headers fitted = new RecordHeaders(headers.toArray());
        fitted.remove(TRUNCATED);
        fitted.remove(KEY_TRUNCATED);
        fitted.remove(HEADERS_DROPPED);
        int valueLength = value == null ? 0 : value.length;
        if (value != null) {
            put(fitted, TRUNCATED, Integer.toString(value.length));
        }
        byte[] empty = new byte[0];
        long room = budget - size(key, empty, fitted);
        if (room >= 0) {
            return new DeadLetter(key, Arrays.copyOf(value, (int) Math.min(valueLength, room)), fitted);
        }
        // Key and headers alone are too large: keep only the avis headers, then cut the key if still needed.
        RecordHeaders own = new RecordHeaders();
        int dropped = 0;
        for (Header h : fitted) {
            if (h.key().startsWith("avis.dlq.")) {
                own.add(h);
            } else {
                dropped++;
            }
        }
        put(own, HEADERS_DROPPED, Integer.toString(dropped));
        byte[] fittedKey = key;
        if (key != null && size(key, empty, own) > budget) {
            put(own, KEY_TRUNCATED, Integer.toString(key.length));
            long keyRoom = budget - size(empty, empty, own);
            // A key this large is not a stream id: its first KiB is plenty to recognise it, the rest goes to the value.
            fittedKey = Arrays.copyOf(key, (int) Math.max(0, Math.min(KEPT_KEY_BYTES, keyRoom)));
        }
        room = budget - size(fittedKey, empty, own);
        byte[] fittedValue = value == null ? null : Arrays.copyOf(value, (int) Math.max(0, Math.min(valueLength, room)));
        if (fittedValue != null && fittedValue.length == valueLength) {
            own.remove(TRUNCATED);
        }
        return new DeadLetter(fittedKey, fittedValue, own);
    }

    /** The producer's own upper bound of the bytes one record takes in a request (uncompressed). */
    static long size(byte[] key, byte[] value, Headers headers) {
        return AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE, CompressionType.NONE,
                key, value, headers.toArray());
    }

    /** The value of a header as a string, or null when absent. */
    public static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String truncate(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
    }
}
