package io.avisstream.avis.topology;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jboss.logging.Logger;

import io.avisstream.avis.dlq.DeadLetters;
import io.avisstream.avis.message.DlqReason;

/**
 * Forwards a rejected input record to the dead-letter sink of the topology: bytes unchanged when the dead letter
 * fits the dead-letter topic, otherwise cut to fit with a header saying so ({@link DeadLetters#fit}). A dead letter
 * that does not fit would fail the transaction, and its input record would stop the service on every restart.
 *
 * @param maxBytes the largest record the dead-letter sink can write (topic {@code max.message.bytes}, producer
 *        {@code max.request.size})
 */
record DeadLetterRouting(int maxBytes) {
    private static final Logger LOG = Logger.getLogger(DeadLetterRouting.class);

    DeadLetterRouting {
        if (maxBytes < 4096) {
            throw new IllegalArgumentException("dead-letter record limit must be >= 4096 bytes, got " + maxBytes);
        }
    }

    void reject(ProcessorContext<Object, Object> context, PipelineObserver observer, Record<?, ?> current,
            byte[] key, byte[] value, DlqReason reason, String detail, String stage, Throwable cause) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? "" : meta.topic();
        int partition = meta == null ? -1 : meta.partition();
        long offset = meta == null ? -1 : meta.offset();
        var headers = DeadLetters.headers(current.headers(), reason, detail, stage, topic, partition, offset,
                current.timestamp(), cause == null ? null : cause.getClass().getName());
        DeadLetters.DeadLetter letter = DeadLetters.fit(key, value, headers, maxBytes);
        if (letter.value() != value || letter.key() != key) {
            LOG.warnf("dead letter cut to fit %d bytes: reason=%s stage=%s topic=%s partition=%d offset=%d"
                    + " valueBytes=%d keyBytes=%d", maxBytes, reason, stage, topic, partition, offset,
                    value == null ? 0 : value.length, key == null ? 0 : key.length);
        }
        LOG.debugf("dead letter: reason=%s stage=%s topic=%s partition=%d offset=%d detail=%s", reason, stage, topic,
                partition, offset, detail);
        context.forward(new Record<Object, Object>(letter.key(), letter.value(), current.timestamp(), letter.headers()),
                TopologyNames.DLQ_SINK);
        observer.deadLetter(reason, stage);
    }
}
