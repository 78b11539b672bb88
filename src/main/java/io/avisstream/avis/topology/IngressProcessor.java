package io.avisstream.avis.topology;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

import io.avisstream.avis.media.FrameImages;
import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.DlqReason;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.message.InvalidMessageException;
import io.avisstream.avis.message.MessageCodec;

/**
 * First step after a source: the raw key and value bytes become a validated message, or go to the dead-letter
 * sink with the reason (never thrown). Sources read bytes, not messages, so a bad record is rejected here inside
 * the exactly-once transaction with its original bytes, partition and offset.
 */
final class IngressProcessor implements Processor<byte[], byte[], Object, Object> {
    static final String STAGE_FRAMES = "ingress-frames";
    static final String STAGE_AUDIO = "ingress-audio";

    private final boolean frames;
    private final TopologySettings settings;
    private final PipelineObserver observer;
    private final DeadLetterRouting deadLetters;
    private ProcessorContext<Object, Object> context;

    private IngressProcessor(boolean frames, TopologySettings settings, PipelineObserver observer,
            DeadLetterRouting deadLetters) {
        this.frames = frames;
        this.settings = settings;
        this.observer = observer;
        this.deadLetters = deadLetters;
    }

    static IngressProcessor frames(TopologySettings settings, PipelineObserver observer, DeadLetterRouting deadLetters) {
        return new IngressProcessor(true, settings, observer, deadLetters);
    }

    static IngressProcessor audio(TopologySettings settings, PipelineObserver observer, DeadLetterRouting deadLetters) {
        return new IngressProcessor(false, settings, observer, deadLetters);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        long t0 = System.nanoTime();
        try {
            processTimed(record);
        } finally {
            // Everything one input record costs downstream (join, inference, events) counts as this thread's work.
            ThreadBusy.add(System.nanoTime() - t0);
        }
    }

    private void processTimed(Record<byte[], byte[]> record) {
        try {
            String streamId = decodeKey(record.key());
            if (frames) {
                FrameMessage frame = MessageCodec.FRAMES.decode(record.value());
                checkKey(streamId, frame.streamId());
                checkFrame(frame);
                context.forward(record.withKey((Object) streamId)
                        .withValue(new DecodedFrame(frame, record.key(), record.value())), TopologyNames.JOIN);
                observer.frameIn(streamId);
            } else {
                AudioChunkMessage chunk = MessageCodec.AUDIO.decode(record.value());
                checkKey(streamId, chunk.streamId());
                context.forward(record.withKey((Object) streamId)
                        .withValue(new DecodedAudio(chunk, record.key(), record.value())), TopologyNames.JOIN);
            }
        } catch (InvalidMessageException e) {
            deadLetters.reject(context, observer, record, record.key(), record.value(), e.reason(), e.getMessage(),
                    frames ? STAGE_FRAMES : STAGE_AUDIO, e.getCause() != null ? e.getCause() : e);
        }
    }

    private void checkFrame(FrameMessage frame) {
        if (frame.width() > settings.maxFrameWidth() || frame.height() > settings.maxFrameHeight()) {
            throw new InvalidMessageException(DlqReason.OVERSIZED, "frame " + frame.width() + "x" + frame.height()
                    + " exceeds " + settings.maxFrameWidth() + "x" + settings.maxFrameHeight());
        }
        // Decoding JPEGs here (not only on sampled frames) is what lets a corrupt image be rejected with its bytes.
        FrameImages.decode(frame);
    }

    private static void checkKey(String key, String streamId) {
        if (!key.equals(streamId)) {
            throw new InvalidMessageException(DlqReason.KEY_MISMATCH, "key '" + key + "' differs from streamId '"
                    + streamId + "'");
        }
    }

    static String decodeKey(byte[] key) {
        if (key == null || key.length == 0) {
            throw new InvalidMessageException(DlqReason.MISSING_KEY, "the key must be the stream id");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(key)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidMessageException(DlqReason.UNDECODABLE, "key is not UTF-8", e);
        }
    }
}
