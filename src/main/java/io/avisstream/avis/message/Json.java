package io.avisstream.avis.message;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration of the wire format (byte[] as base64). Strict on the way in: unknown fields,
 * duplicate fields and anything after the JSON value (trailing garbage) are rejected.
 */
public final class Json {
    /**
     * Values of optional fields that are written only when set ({@code InstanceMessage.maskDropped},
     * {@code MasksMessage.instancesDropped}): absent in the JSON, they read as false / 0 while every other field
     * stays required ({@code FAIL_ON_MISSING_CREATOR_PROPERTIES}).
     */
    static final String ABSENT_FALSE = "avis.absent.false";
    static final String ABSENT_ZERO = "avis.absent.zero";
    /** {@code MasksMessage.maskSeq}, absent in records written before it: -1, which the record reads as sourceSeq. */
    static final String ABSENT_SEQ = "avis.absent.seq";

    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .injectableValues(new InjectableValues.Std().addValue(ABSENT_FALSE, Boolean.FALSE).addValue(ABSENT_ZERO, 0)
                    .addValue(ABSENT_SEQ, -1L))
            .build();

    private Json() {
    }
}
