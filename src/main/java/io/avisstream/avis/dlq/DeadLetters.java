package io.avisstream.avis.dlq;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

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
