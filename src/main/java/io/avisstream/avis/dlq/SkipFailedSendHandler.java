package io.avisstream.avis.dlq;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.jboss.logging.Logger;

/**
 * The topology's {@code ProductionExceptionHandler}: a record that cannot be serialized or sent is skipped with a
 * WARN line and counted ({@link #skipped()}), never FAIL for the whole instance.
 *
 * <p>Limit, from the Kafka client and not from this handler: under {@code exactly_once_v2} a failed send inside a
 * transaction makes the transaction abortable (KAFKA-9279), so the commit fails even after CONTINUE and the task is
 * retried. That is why every record the topology writes is sized to fit before it is sent (dead letters are cut to
 * the dead-letter topic's limit, {@link DeadLetters#fit}); this handler is the safety net for at-least-once and for
 * serialization errors, which happen before the send.
 */
public class SkipFailedSendHandler implements ProductionExceptionHandler {
    private static final Logger LOG = Logger.getLogger(SkipFailedSendHandler.class);
    private static final AtomicLong SKIPPED = new AtomicLong();

    @Override
    public void configure(Map<String, ?> configs) {
    }

    /** Records skipped by this JVM's handlers since start. */
    public static long skipped() {
        return SKIPPED.get();
    }

    @Override
    public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
            Exception exception) {
        long n = SKIPPED.incrementAndGet();
        LOG.warnf("record not written, skipped: topic=%s partition=%s keyBytes=%d valueBytes=%d error=%s skippedTotal=%d",
                record.topic(), record.partition(), record.key() == null ? 0 : record.key().length,
                record.value() == null ? 0 : record.value().length, exception.toString(), n);
        return ProductionExceptionHandlerResponse.CONTINUE;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ProductionExceptionHandlerResponse handleSerializationException(ErrorHandlerContext context,
            ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
        long n = SKIPPED.incrementAndGet();
        LOG.warnf("record not serialized, skipped: topic=%s origin=%s error=%s skippedTotal=%d", record.topic(), origin,
                exception.toString(), n);
        return ProductionExceptionHandlerResponse.CONTINUE;
    }
}
