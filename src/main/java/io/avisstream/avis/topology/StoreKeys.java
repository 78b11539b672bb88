package io.avisstream.avis.topology;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the per-stream buffers: {@code u16 length | UTF-8 stream id | i64 n (sign bit flipped)}, so that a
 * byte-wise range scan over one stream returns its entries in increasing {@code n} (seq or micros).
 */
final class StoreKeys {

    private StoreKeys() {
    }

    static Bytes key(String streamId, long n) {
        byte[] id = streamId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(2 + id.length + 8).putShort((short) id.length).put(id)
                .putLong(n ^ Long.MIN_VALUE).array());
    }

    static Bytes first(String streamId) {
        return key(streamId, Long.MIN_VALUE);
    }

    static Bytes last(String streamId) {
        return key(streamId, Long.MAX_VALUE);
    }

    static long n(Bytes key) {
        byte[] b = key.get();
        return ByteBuffer.wrap(b, b.length - 8, 8).getLong() ^ Long.MIN_VALUE;
    }

    static String streamId(Bytes key) {
        byte[] b = key.get();
        int len = ByteBuffer.wrap(b, 0, 2).getShort() & 0xffff;
        return new String(b, 2, len, StandardCharsets.UTF_8);
    }
}
