package io.avisstream.avis.dlq;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import io.avisstream.avis.message.DlqReason;

class DeadLettersTest {
    private static final int LIMIT = 8 * 1024 * 1024;

    private static Headers headers(Headers original) {
        return DeadLetters.headers(original, DlqReason.BAD_IMAGE, "detail", "ingress-frames", "avis.frames.v1", 0, 7L,
                1L, null);
    }

    @Test
    void shouldKeepARecordThatFitsUnchanged() {
        // Given
        byte[] key = "cam".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[1000];
        Headers headers = headers(null);

        // When
        DeadLetters.DeadLetter letter = DeadLetters.fit(key, value, headers, LIMIT);

        // Then
        assertThat(letter.key()).isSameAs(key);
        assertThat(letter.value()).isSameAs(value);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.TRUNCATED)).isNull();
    }

    @Test
    void shouldCutTheValueOfARecordJustUnderTheTopicLimitAndSaySo() {
        // Given the colleague's case: an invalid frame of 8,388,305 bytes (fits the frames topic, not with headers)
        byte[] key = "cam".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[8_388_305];
        Arrays.fill(value, (byte) 'x');
        Headers headers = headers(null);
        assertThat(DeadLetters.size(key, value, headers)).isGreaterThan(LIMIT);

        // When
        DeadLetters.DeadLetter letter = DeadLetters.fit(key, value, headers, LIMIT);

        // Then it fits, starts with the original bytes, and says how large the original was
        assertThat(DeadLetters.size(letter.key(), letter.value(), letter.headers())).isLessThanOrEqualTo(LIMIT);
        assertThat(letter.value().length).isGreaterThan(LIMIT - 4096);
        assertThat(letter.value()).isEqualTo(Arrays.copyOf(value, letter.value().length));
        assertThat(letter.key()).isEqualTo(key);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.TRUNCATED)).isEqualTo("8388305");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).isEqualTo("BAD_IMAGE");
    }

    @Test
    void shouldDropOriginalHeadersAndCutTheKeyWhenTheyAloneDoNotFit() {
        // Given a huge key and a huge original header
        byte[] key = new byte[LIMIT];
        RecordHeaders original = new RecordHeaders();
        original.add("big", new byte[LIMIT]);
        Headers headers = headers(original);

        // When
        DeadLetters.DeadLetter letter = DeadLetters.fit(key, new byte[10], headers, LIMIT);

        // Then
        assertThat(DeadLetters.size(letter.key(), letter.value(), letter.headers())).isLessThanOrEqualTo(LIMIT);
        assertThat(letter.headers().lastHeader("big")).isNull();
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.HEADERS_DROPPED)).isEqualTo("1");
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.KEY_TRUNCATED)).isEqualTo(Integer.toString(LIMIT));
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.TRUNCATED)).as("value kept whole").isNull();
        assertThat(letter.value()).hasSize(10);
        assertThat(letter.key()).hasSize(DeadLetters.KEPT_KEY_BYTES);
        assertThat(DeadLetters.header(letter.headers(), DeadLetters.REASON)).isEqualTo("BAD_IMAGE");
    }
}
