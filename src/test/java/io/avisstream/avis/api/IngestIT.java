package io.avisstream.avis.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.avisstream.avis.demo.DemoIT;
import io.avisstream.avis.ingest.FfmpegCli;
import io.avisstream.avis.ingest.IngestCommand;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.topology.runtime.AvisStreams;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ingest} and {@code consume} on the real parts: the service's in-process broker and topology (deterministic
 * test engine), FFmpeg's CLI as the live source (MPEG-TS over UDP on 127.0.0.1) and as the maker of files. What
 * goes in through ingest comes back through consume as one masks record per frame.
 */
@QuarkusTest
@TestProfile(DemoIT.OwnPipeline.class)
class IngestIT {

    @Inject
    AvisStreams streams;
    @Inject
    IngestCommand ingest;
    @Inject
    ConsumeCommand consume;

    private final List<Process> sources = new ArrayList<>();
    private final ByteArrayOutputStream ingestConsole = new ByteArrayOutputStream();
    private String bootstrap;

    @BeforeEach
    void start() {
        bootstrap = streams.start();
        ingest.printTo(new PrintStream(ingestConsole, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stopSources() {
        sources.forEach(Process::destroyForcibly);
        ingest.printTo(System.err);
        consume.printTo(System.out, System.err);
    }

    private String console() {
        return ingestConsole.toString(StandardCharsets.UTF_8);
    }

    /** Masks records of a stream read back through {@code consume}, expecting {@code count} of them. */
    private List<MasksMessage> consumeMasks(String stream, long count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        consume.printTo(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = consume.run("--topic", "masks", "--stream", stream, "--from-beginning", "--max",
                Long.toString(count), "--timeout", "60s", "--summary", "--bootstrap", bootstrap);
        assertThat(exit).as("consume exit code; stderr: %s", err).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("stream=" + stream + " records=" + count);
        return out.toString(StandardCharsets.UTF_8).lines()
                .map(line -> MessageCodec.MASKS.decode(line.getBytes(StandardCharsets.UTF_8))).toList();
    }

    private static List<Long> seqs(long n) {
        return LongStream.range(0, n).boxed().toList();
    }

    @Test
    void shouldIngestALiveUdpStreamAndGiveEveryFrameItsMasks() {
        // Given a live MPEG-TS source on 127.0.0.1
        int port = FfmpegCli.freeUdpPort();
        sources.add(FfmpegCli.udpSource(port, 30));
        String stream = "live-" + System.nanoTime();

        // When 3 s of it are ingested
        int exit = ingest.run("--input", "udp://127.0.0.1:" + port, "--stream", stream, "--bootstrap", bootstrap,
                "--duration", "3s");

        // Then every frame sent comes back as one masks record, in seq order, with audio
        assertThat(exit).as(console()).isZero();
        IngestCommand.Summary sent = ingest.lastSummary();
        assertThat(sent.frames()).isBetween(10L, 31L);
        assertThat(sent.audio()).isTrue();
        assertThat(sent.encodings()).isEqualTo("rgb24");
        List<MasksMessage> masks = consumeMasks(stream, sent.frames());
        assertThat(masks).extracting(MasksMessage::seq).containsExactlyElementsOf(seqs(sent.frames()));
        assertThat(masks).allSatisfy(m -> assertThat(m.width()).isEqualTo(160));
        assertThat(masks).extracting(MasksMessage::audio).contains("complete");
    }

    @Test
    void shouldReconnectWhenTheLiveSourceRestartsOnOneMonotonicClock() throws Exception {
        // Given a source that plays 5 s, is gone until ingest counts it as lost, and comes back for 5 s
        int port = FfmpegCli.freeUdpPort();
        Process first = FfmpegCli.udpSource(port, 5);
        sources.add(first);
        String stream = "reconnect-" + System.nanoTime();

        // When ingest runs through it (and gives up once the source is gone for good)
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> ingest.run("--input",
                "udp://127.0.0.1:" + port, "--stream", stream, "--bootstrap", bootstrap, "--stall-timeout", "6s",
                "--reconnect-timeout", "20s"));
        assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
        // (ingest may lag behind the source on a loaded machine: the second run starts once ingest saw the loss)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!console().contains("lost (") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        // (10 s: a reconnect attempt opens the source within the stall timeout, and probing MPEG-TS takes seconds)
        Process second = FfmpegCli.udpSource(port, 10);
        sources.add(second);
        int exit = run.get(120, TimeUnit.SECONDS);

        // Then frames of both runs, pts increasing across the gap, every frame has its masks (a loaded machine may
        // stall the source once more: at least one reconnect)
        assertThat(exit).as(console()).isEqualTo(IngestCommand.EXIT_SOURCE_LOST);
        assertThat(console()).contains("lost (", "reconnected after", "--reconnect-timeout");
        IngestCommand.Summary sent = ingest.lastSummary();
        assertThat(sent.reconnects()).isPositive();
        List<MasksMessage> masks = consumeMasks(stream, sent.frames());
        assertThat(masks).extracting(MasksMessage::seq).containsExactlyElementsOf(seqs(sent.frames()));
        List<Long> pts = masks.stream().map(MasksMessage::ptsMicros).toList();
        List<Integer> gaps = new ArrayList<>();
        for (int i = 1; i < pts.size(); i++) {
            assertThat(pts.get(i)).as("pts %s", pts).isGreaterThan(pts.get(i - 1));
            if (pts.get(i) - pts.get(i - 1) > 1_000_000) {
                gaps.add(i);
            }
        }
        assertThat(gaps).as("the reconnect gap in %s", pts).isNotEmpty();
        assertThat(gaps.get(0)).as("frames before the first gap").isGreaterThanOrEqualTo(5);
        assertThat(pts.size() - gaps.get(gaps.size() - 1)).as("frames after the last gap").isGreaterThanOrEqualTo(5);
    }

    @Test
    void shouldSendWhatATruncatedFileHoldsAndRefuseAnUnreadableOne() throws Exception {
        // Given a 3 s MPEG-TS clip cut at 55 %, and an mp4 cut before its index (moov at the end)
        Path dir = Files.createTempDirectory(Path.of("target"), "ingest-it-");
        Path ts = dir.resolve("clip.ts");
        Path mp4 = dir.resolve("clip.mp4");
        String[] sourcesArgs = { "-f", "lavfi", "-i", "color=c=black:s=160x120:r=10", "-f", "lavfi", "-i",
                "sine=frequency=440:sample_rate=44100", "-t", "3" };
        FfmpegCli.run(concat(sourcesArgs, "-c:v", "mpeg2video", "-c:a", "mp2", ts.toString()));
        FfmpegCli.run(concat(sourcesArgs, "-c:v", "mpeg4", "-c:a", "aac", mp4.toString()));
        truncate(ts, 0.55);
        truncate(mp4, 0.55);
        String stream = "truncated-" + System.nanoTime();

        // When
        int exit = ingest.run("--input", ts.toString(), "--stream", stream, "--bootstrap", bootstrap);
        IngestCommand.Summary sent = ingest.lastSummary();
        int bad = ingest.run("--input", mp4.toString(), "--stream", stream + "-mp4", "--bootstrap", bootstrap);

        // Then the readable part is sent and comes back; the unreadable file is one line and exit 66
        assertThat(exit).as(console()).isZero();
        assertThat(sent.frames()).isBetween(5L, 25L);
        assertThat(consumeMasks(stream, sent.frames())).extracting(MasksMessage::seq)
                .containsExactlyElementsOf(seqs(sent.frames()));
        assertThat(bad).isEqualTo(IngestCommand.EXIT_BAD_INPUT);
        assertThat(console().lines().filter(l -> l.contains(mp4.toString()))).singleElement()
                .satisfies(l -> assertThat(l).startsWith("ingest: cannot open").doesNotContain("(-"));
        assertThat(console()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void shouldSendA1440pClipAsJpegAndRefuseItAsRawWithTheSizeAndTheLimit() throws Exception {
        // Given a 2560x1440 clip: as rgb24 a frame is 11 MB (14.7 MB in base64), over the 8 MiB frames topic
        Path clip = Files.createTempDirectory(Path.of("target"), "ingest-it-").resolve("qhd.ts");
        FfmpegCli.run("-f", "lavfi", "-i", "color=c=black:s=2560x1440:r=5", "-t", "0.6", "-c:v", "mpeg2video",
                clip.toString());
        String stream = "qhd-" + System.nanoTime();

        // When
        int raw = ingest.run("--input", clip.toString(), "--stream", stream + "-raw", "--bootstrap", bootstrap,
                "--encoding", "rgb24");
        int auto = ingest.run("--input", clip.toString(), "--stream", stream, "--bootstrap", bootstrap);
        IngestCommand.Summary sent = ingest.lastSummary();

        // Then
        assertThat(raw).isEqualTo(IngestCommand.EXIT_FRAME_TOO_LARGE);
        assertThat(console()).contains("a 2560x1440 frame as rgb24").contains("max.message.bytes of 8388608");
        assertThat(auto).as(console()).isZero();
        assertThat(sent.encodings()).isEqualTo("jpeg");
        assertThat(sent.audio()).isFalse();
        List<MasksMessage> masks = consumeMasks(stream, sent.frames());
        assertThat(masks).hasSize(3).allSatisfy(m -> assertThat(m.width()).isEqualTo(2560));
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    private static void truncate(Path file, double keep) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength((long) (f.length() * keep));
        }
    }
}
