package io.avisstream.avis.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.avisstream.avis.media.VideoFrame;
import io.avisstream.avis.message.AudioFormat;
import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.MessageCodec;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The pure parts of {@code ingest}: source parsing, options, the clock, sampling and the encoding choice. */
class IngestPartsTest {

    private static final int LIMIT = 8_388_608;

    @Test
    void shouldKeepUrlsIntactAndTellFilesUrlsAndDevicesApart() {
        assertThat(MediaSource.parse("rtsp://user:pw@cam.local:554/live")).satisfies(s -> {
            assertThat(s.kind()).isEqualTo(MediaSource.Kind.NETWORK);
            assertThat(s.location()).isEqualTo("rtsp://user:pw@cam.local:554/live");
            assertThat(s.redacted()).isEqualTo("rtsp://***@cam.local:554/live");
            assertThat(s.scheme()).isEqualTo("rtsp");
            assertThat(s.reconnectable()).isTrue();
        });
        assertThat(MediaSource.parse("udp://127.0.0.1:5000").scheme()).isEqualTo("udp");
        assertThat(MediaSource.parse("/dev/video0").kind()).isEqualTo(MediaSource.Kind.DEVICE);
        assertThat(MediaSource.parse("clips/a.mp4").kind()).isEqualTo(MediaSource.Kind.FILE);
        assertThat(MediaSource.parse("file:///tmp/a.mp4")).isEqualTo(new MediaSource("/tmp/a.mp4", MediaSource.Kind.FILE));
    }

    @Test
    void shouldParseEveryIngestOptionAndRejectBadOnesWithTheFlagName() {
        IngestOptions o = IngestOptions.parse("--input", "srt://127.0.0.1:9000", "--stream", "cam-1", "--fps", "5",
                "--encoding", "jpeg", "--duration", "1m", "--bootstrap", "h:9092", "--no-audio", "--stall-timeout",
                "500ms", "--reconnect-timeout", "30", "--rtsp-transport", "udp", "--jpeg-quality", "70", "--realtime");
        assertThat(o.source().location()).isEqualTo("srt://127.0.0.1:9000");
        assertThat(o.fps()).isEqualTo(5.0);
        assertThat(o.encoding()).isEqualTo(FrameEncoder.Mode.JPEG);
        assertThat(o.duration()).contains(Duration.ofMinutes(1));
        assertThat(o.stallTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(o.reconnectTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(o.bootstrap()).contains("h:9092");
        assertThat(o.noAudio() && o.realtime()).isTrue();
        assertThat(o.audioEncoding()).isEqualTo(AudioFormat.Encoding.F32LE);
        assertThat(IngestOptions.parse("--input", "a.mp4", "--stream", "x", "--audio-encoding", "s16le").audioEncoding())
                .isEqualTo(AudioFormat.Encoding.S16LE);

        assertThatThrownBy(() -> IngestOptions.parse("--input", "a.mp4")).hasMessageContaining("--stream");
        assertThatThrownBy(() -> IngestOptions.parse("--stream", "x")).hasMessageContaining("--input");
        assertThatThrownBy(() -> IngestOptions.parse("--input", "a.mp4", "--stream", "x", "--bogus"))
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> IngestOptions.parse("--input", "a.mp4", "--stream", "x", "--encoding", "png"))
                .hasMessageContaining("--encoding");
        assertThatThrownBy(() -> IngestOptions.parse("--input", "a.mp4", "--stream", "x", "--duration", "soon"))
                .hasMessageContaining("--duration");
        assertThatThrownBy(() -> IngestOptions.parse("--input", "udp://h:1", "--stream", "x", "--loop"))
                .hasMessageContaining("--loop");
        assertThatThrownBy(() -> IngestOptions.parse("--input", "a.mp4", "--stream", "x", "--audio-encoding", "f64le"))
                .hasMessage("--audio-encoding must be f32le or s16le, got 'f64le'");
    }

    @Test
    void shouldKeepPtsMonotonicAcrossSegmentsAndRefuseBackwardItems() {
        // Given a clock at base 0 with 40 ms frames
        PtsTimeline clock = new PtsTimeline(0, 40_000);

        // When a first connection sends 0, 40, 80 ms and a stale 40 ms, then the source is away 2 s and restarts at 0
        List<Long> first = List.of(clock.frame(0), clock.frame(40_000), clock.frame(80_000), clock.frame(40_000));
        clock.newSegment(2_000_000);
        List<Long> second = List.of(clock.frame(0), clock.frame(40_000));

        // Then
        assertThat(first).containsExactly(0L, 40_000L, 80_000L, -1L);
        assertThat(second).containsExactly(2_080_000L, 2_120_000L);
        assertThat(clock.refused()).isEqualTo(1);
        assertThat(clock.audio(0, 100_000)).isEqualTo(2_080_000L);
        assertThat(clock.audio(50_000, 100_000)).isEqualTo(-1L);
    }

    @Test
    void shouldContinueAfterTheLastItemWhenTheSourceClockJumpsWithinAConnection() {
        // Given a source at 5 s that restarts at 0 behind the same address, then resets its clock far ahead
        PtsTimeline clock = new PtsTimeline(0, 40_000);
        clock.frame(5_000_000);
        clock.audio(5_000_000, 100_000);

        // When
        long restarted = clock.frame(0);
        long next = clock.frame(40_000);
        long reset = clock.frame(3_600_000_000L);

        // Then
        assertThat(restarted).isEqualTo(5_100_000 + 40_000);
        assertThat(next).isEqualTo(5_180_000);
        assertThat(reset).isEqualTo(5_220_000);
        assertThat(clock.discontinuities()).isEqualTo(2);
        assertThat(clock.refused()).isZero();
    }

    @Test
    void shouldSampleFramesOnTheFpsGrid() {
        FrameSampler tenOfTwentyFive = new FrameSampler(10);
        List<Long> kept = LongStream.range(0, 25).map(i -> i * 40_000).filter(tenOfTwentyFive::keep).boxed().toList();
        assertThat(kept).hasSize(10).startsWith(0L, 120_000L, 200_000L);
        FrameSampler all = new FrameSampler(0);
        assertThat(LongStream.range(0, 25).map(i -> i * 40_000).filter(all::keep).count()).isEqualTo(25);
    }

    @Test
    void shouldSendRawWhenItFitsJpegWhenNotAndRefuseWhatNeverFits() {
        DecodedFrame small = new DecodedFrame(0, 0, new VideoFrame(64, 48, new byte[64 * 48 * 3]));
        DecodedFrame qhd = new DecodedFrame(0, 0, new VideoFrame(2560, 1440, new byte[2560 * 1440 * 3]));

        FrameMessage raw = new FrameEncoder(FrameEncoder.Mode.AUTO, LIMIT, 90).encode("cam", 3, 120_000, small);
        FrameMessage jpeg = new FrameEncoder(FrameEncoder.Mode.AUTO, LIMIT, 90).encode("cam", 0, 0, qhd);

        assertThat(raw.encoding()).isEqualTo(FrameEncoding.RGB24);
        assertThat(raw.seq()).isEqualTo(3);
        assertThat(MessageCodec.FRAMES.encode(raw).length).isLessThan((int) FrameEncoder.recordBytes("cam", small.frame().rgb().length));
        assertThat(jpeg.encoding()).isEqualTo(FrameEncoding.JPEG);
        assertThat(MessageCodec.FRAMES.encode(jpeg).length).isLessThan(LIMIT);
        assertThatThrownBy(() -> new FrameEncoder(FrameEncoder.Mode.RGB24, LIMIT, 90).encode("cam", 0, 0, qhd))
                .isInstanceOf(FrameEncoder.FrameTooLargeException.class)
                .hasMessage("a 2560x1440 frame as rgb24 is a 14746630-byte record, over the frames topic's"
                        + " max.message.bytes of 8388608; --encoding auto or jpeg sends it as JPEG");
        assertThatThrownBy(() -> new FrameEncoder(FrameEncoder.Mode.AUTO, 200, 90).encode("cam", 0, 0, small))
                .isInstanceOf(FrameEncoder.FrameTooLargeException.class).hasMessageContaining("as JPEG");
    }
}
