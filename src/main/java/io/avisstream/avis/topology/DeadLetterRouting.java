package io.avisstream.avis.topology;

import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.jboss.logging.Logger;

import io.avisstream.avis.dlq.DeadLetters;
import io.avisstream.avis.message.DlqReason;

/** Forwards a rejected input record, bytes unchanged, to the dead-letter sink of the topology. */
final class DeadLetterRouting {
    private static final Logger LOG = Logger.getLogger(DeadLetterRouting.class);

    private DeadLetterRouting() {
    }

    static void reject(ProcessorContext<Object, Object> context, PipelineObserver observer, Record<?, ?> current,
            byte[] key, byte[] value, DlqReason reason, String detail, String stage, Throwable cause) {
        RecordMetadata meta = context.recordMetadata().orElse(null);
        String topic = meta == null ? "" : meta.topic();
        int partition = meta == null ? -1 : meta.partition();
        long offset = meta == null ? -1 : meta.offset();
        var headers = DeadLetters.headers(current.headers(), reason, detail, stage, topic, partition, offset,
                current.timestamp(), cause == null ? null : cause.getClass().getName());
        LOG.debugf("dead letter: reason=%s stage=%s topic=%s partition=%d offset=%d detail=%s", reason, stage, topic,
                partition, offset, detail);
        context.forward(new Record<Object, Object>(key, value, current.timestamp(), headers), TopologyNames.DLQ_SINK);
        observer.deadLetter(reason, stage);
    }
}
