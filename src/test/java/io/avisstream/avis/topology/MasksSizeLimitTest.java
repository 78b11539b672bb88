package io.avisstream.avis.topology;

import static io.avisstream.avis.topology.TestStreams.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.avisstream.avis.media.BinaryMask;
import io.avisstream.avis.media.CocoRle;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.FrameEncoding;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.InstanceMessage;
import io.avisstream.avis.message.MasksMessage;
import io.avisstream.avis.message.MessageCodec;
import io.avisstream.avis.message.RleMask;
import io.avisstream.avis.topology.contract.TopicContract;

/**
 * A masks record larger than the masks topic accepts (4 MiB by the contract) would be refused by the broker, which
 * under exactly-once fails the transaction and retries the same frame for ever. Such a record is made to fit: the
 * largest masks are left out ({@code maskDropped}, all-zero mask, bbox kept), every instance and the frame's record
 * kept.
 */
class MasksSizeLimitTest {
    private static final TopicContract CONTRACT = TopicContract.bundled();

    @TempDir
    Path work;

    @Test
    void shouldLeaveOutTheLargestMasksUntilA6MiBRecordFitsThe4MiBTopic() {
        // Given 100 instances at 1920x1080 whose masks are 20-100 KB each (a ~6 MB record)
        List<InstanceMessage> instances = new ArrayList<>();
        Random random = new Random(7);
        for (int i = 0; i < 100; i++) {
            instances.add(new InstanceMessage(i + 1, i % 26, "class" + i, 0.5f + i / 1000f, i % 2 == 0,
                    List.of(i, i, 100, 50), RleMask.of(1080, 1920, counts(random, 20_000 + 800 * i))));
        }
        MasksMessage masks = new MasksMessage("cam-big", 7, 280_000, 1920, 1080, "complete", true, 7, "ort-cpu",
                instances);
        int budget = MasksFit.budget(CONTRACT.masks().maxMessageBytes());
        assertThat(MasksFit.size(masks)).isGreaterThan(CONTRACT.masks().maxMessageBytes());

        // When
        MasksMessage fitted = MasksFit.fit(masks, budget);

        // Then: it fits, is schema-valid, and keeps every instance with its track, class, score, flag and bbox
        byte[] wire = MessageCodec.MASKS.encode(fitted);
        assertThat(wire.length).isLessThanOrEqualTo(budget);
        MasksMessage read = MessageCodec.MASKS.decode(wire);
        assertThat(read.instances()).extracting(InstanceMessage::trackId, InstanceMessage::bbox, InstanceMessage::score)
                .containsExactlyElementsOf(instances.stream()
                        .map(m -> org.assertj.core.groups.Tuple.tuple(m.trackId(), m.bbox(), m.score())).toList());
        assertThat(read.instancesDropped()).isZero();
        // the largest masks (highest indices here) went first, and only as many as needed
        List<Integer> dropped = new ArrayList<>();
        for (int i = 0; i < read.instances().size(); i++) {
            if (read.instances().get(i).maskDropped()) {
                dropped.add(i);
                assertThat(read.instances().get(i).mask().size()).containsExactly(1080, 1920);
                assertThat(CocoRle.area(CocoRle.decompress(read.instances().get(i).mask().counts()))).isZero();
            } else {
                assertThat(read.instances().get(i).mask()).isEqualTo(instances.get(i).mask());
            }
        }
        System.out.printf("masks-size: %d-byte record fitted to %d bytes (topic max.message.bytes %d): %d of %d masks"
                + " left out, %d instances kept%n", MasksFit.size(masks), wire.length, CONTRACT.masks().maxMessageBytes(),
                dropped.size(), instances.size(), read.instances().size());
        assertThat(dropped).isNotEmpty().isEqualTo(java.util.stream.IntStream.range(100 - dropped.size(), 100).boxed()
                .toList());
        MasksMessage oneMore = masks.withInstances(keepMaskOf(read.instances(), instances, dropped.get(0)), 0);
        assertThat(MasksFit.size(oneMore)).as("no more masks left out than needed").isGreaterThan(budget);
    }

    @Test
    void shouldReturnARecordThatFitsUnchangedAndWriteNoNewField() {
        // Given
        MasksMessage small = new MasksMessage("cam-1", 1, 40_000, 32, 24, "complete", true, 1, "ort-cpu",
                List.of(new InstanceMessage(1, 0, "man", 0.9f, true, List.of(1, 1, 2, 2), RleMask.of(24, 32, "0"))));

        // When / Then
        assertThat(MasksFit.fit(small, MasksFit.budget(CONTRACT.masks().maxMessageBytes()))).isSameAs(small);
        String json = new String(MessageCodec.MASKS.encode(small), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("maskDropped").doesNotContain("instancesDropped");
        assertThat(MessageCodec.MASKS.decode(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(small);
    }

    @Test
    void shouldLeaveOutTheLowestScoresWhenEvenMasklessInstancesDoNotFit() {
        // Given a budget of ~2 KB and 40 instances (~150 bytes each without masks)
        List<InstanceMessage> instances = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            instances.add(new InstanceMessage(i + 1, 0, "man", (i * 37 % 40) / 40f, false, List.of(0, 0, 1, 1),
                    RleMask.of(24, 32, "0")));
        }
        MasksMessage masks = new MasksMessage("cam-1", 1, 40_000, 32, 24, "partial", true, 1, "ort-cpu", instances);

        // When
        MasksMessage fitted = MasksFit.fit(masks, 2_000);

        // Then
        assertThat(MasksFit.size(fitted)).isLessThanOrEqualTo(2_000);
        assertThat(fitted.instancesDropped()).isPositive().isEqualTo(40 - fitted.instances().size());
        float lowestKept = (float) fitted.instances().stream().mapToDouble(InstanceMessage::score).min().orElseThrow();
        assertThat(instances).filteredOn(m -> fitted.instances().stream().noneMatch(k -> k.trackId() == m.trackId()))
                .allSatisfy(m -> assertThat(m.score()).isLessThanOrEqualTo(lowestKept));
        assertThat(MessageCodec.MASKS.decode(MessageCodec.MASKS.encode(fitted)).instancesDropped())
                .isEqualTo(fitted.instancesDropped());
    }

    @Test
    void shouldEncodeTheEmptyMaskAsCocoDoes() {
        for (int[] hw : new int[][] { { 24, 32 }, { 1080, 1920 }, { 1, 1 }, { 4320, 7680 } }) {
            String expected = hw[0] * hw[1] <= 2_000_000 ? CocoRle.encode(new BinaryMask(hw[1], hw[0], new byte[hw[0] * hw[1]]))
                    : CocoRle.compress(new long[] { (long) hw[0] * hw[1] });
            assertThat(RleMask.empty(hw[0], hw[1]).counts()).isEqualTo(expected);
        }
    }

    @Test
    void shouldEmitOneFittedRecordPerFrameThroughTheTopology() throws Exception {
        // Given a contract whose masks topic takes 64 KiB, and a 320x180 frame of 12 colours in noise
        // (DeterministicTestEngine: one instance per colour, ~15 KB of RLE each, ~180 KB in all)
        Path yaml = work.resolve("topics.yaml");
        String bundled;
        try (var in = TopicContract.class.getClassLoader().getResourceAsStream(TopicContract.RESOURCE)) {
            bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int limit = 65_536;
        Files.writeString(yaml, bundled.replace("max.message.bytes: \"4194304\"", "max.message.bytes: \"" + limit + "\""));
        TopicContract contract = TopicContract.load(Optional.of(yaml));
        assertThat(contract.masks().maxMessageBytes()).isEqualTo(limit);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "avis-masks-size-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, work.resolve("state").toString());
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        try (TopologyTestDriver driver = new TopologyTestDriver(AvisTopology.build(new DeterministicTestEngine(),
                TopologySettings.defaults(), contract), props, t0)) {
            TestInputTopic<String, FrameMessage> frames = driver.createInputTopic(contract.frames().name(),
                    Serdes.String().serializer(), contract.frames().valueSerde().serializer(), t0, Duration.ofMillis(1));
            TestInputTopic<String, AudioChunkMessage> audio = driver.createInputTopic(contract.audio().name(),
                    Serdes.String().serializer(), contract.audio().valueSerde().serializer(), t0, Duration.ofMillis(1));
            TestOutputTopic<String, byte[]> masks = driver.createOutputTopic(contract.masks().name(),
                    Serdes.String().deserializer(), Serdes.ByteArray().deserializer());

            // When: two frames (the second is not sampled at 1 fps: a copy of the first's instances) and their audio
            for (int i = 0; i < 12; i++) {
                audio.pipeInput("cam-n", chunk("cam-n", i, true));
            }
            frames.pipeInput("cam-n", noise("cam-n", 0));
            frames.pipeInput("cam-n", noise("cam-n", 1));

            // Then
            List<byte[]> out = masks.readValuesToList();
            assertThat(out).hasSize(2);
            for (byte[] value : out) {
                assertThat(value.length).isLessThanOrEqualTo(MasksFit.budget(limit));
                MasksMessage m = MessageCodec.MASKS.decode(value);
                assertThat(m.instances()).hasSize(12);
                assertThat(m.masksDropped()).isPositive().isLessThan(12);
                assertThat(m.audio()).isEqualTo("complete");
            }
            assertThat(MessageCodec.MASKS.decode(out.get(1)).inferred()).isFalse();
            MasksMessage first = MessageCodec.MASKS.decode(out.get(0));
            System.out.printf("masks-size: topology, masks topic %d bytes: records of %d and %d bytes, %d of %d masks"
                    + " left out%n", limit, out.get(0).length, out.get(1).length, first.masksDropped(),
                    first.instances().size());
        }
    }

    private static List<InstanceMessage> keepMaskOf(List<InstanceMessage> fitted, List<InstanceMessage> original, int i) {
        List<InstanceMessage> copy = new ArrayList<>(fitted);
        copy.set(i, original.get(i));
        return copy;
    }

    /** A counts string of about {@code chars} characters with no structure (valid pycocotools characters). */
    private static String counts(Random random, int chars) {
        StringBuilder s = new StringBuilder(chars);
        for (int i = 0; i < chars; i++) {
            s.append((char) ('0' + random.nextInt(64)));
        }
        return s.toString();
    }

    private static FrameMessage noise(String stream, long seq) {
        int w = 320;
        int h = 180;
        byte[] rgb = new byte[w * h * 3];
        Random random = new Random(11);
        for (int p = 0; p < w * h; p++) {
            int colour = 1 + random.nextInt(12);
            rgb[3 * p] = (byte) (colour * 20);
            rgb[3 * p + 1] = (byte) (colour * 7);
            rgb[3 * p + 2] = (byte) 1;
        }
        return new FrameMessage(stream, seq, seq * TestStreams.FRAME_MICROS, w, h, FrameEncoding.RGB24, rgb);
    }
}
