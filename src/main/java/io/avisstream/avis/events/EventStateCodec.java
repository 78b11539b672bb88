package io.avisstream.avis.events;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary layout of {@link EventState} in the events store (big-endian), first byte = format version.
 *
 * <pre>
 * v1: u8 version=1 | i32 confirmedCount | i32 n, then per track:
 *     i64 trackId | i32 classId | i32 onStreak | i32 offStreak | u8 confirmed
 * </pre>
 */
public final class EventStateCodec {
    public static final byte V1 = 1;

    private EventStateCodec() {
    }

    public static byte[] encode(EventState s) {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 4 + s.tracks().size() * (8 + 4 + 4 + 4 + 1));
        b.put(V1).putInt(s.confirmedCount()).putInt(s.tracks().size());
        for (EventState.TrackStreak t : s.tracks()) {
            b.putLong(t.trackId()).putInt(t.classId()).putInt(t.onStreak()).putInt(t.offStreak())
                    .put((byte) (t.confirmed() ? 1 : 0));
        }
        return b.array();
    }

    public static EventState decode(byte[] bytes) {
        if (bytes == null) {
            return EventState.initial();
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte version = b.get();
        if (version != V1) {
            throw new IllegalStateException("unknown event state format version " + version);
        }
        int confirmed = b.getInt();
        int n = b.getInt();
        List<EventState.TrackStreak> tracks = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            tracks.add(new EventState.TrackStreak(b.getLong(), b.getInt(), b.getInt(), b.getInt(), b.get() != 0));
        }
        return new EventState(tracks, confirmed);
    }
}
