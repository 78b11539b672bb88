package io.avisstream.avis.dlq;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jboss.logging.Logger;

import io.avisstream.avis.message.DlqReason;
import io.avisstream.avis.message.InvalidMessageException;

/**
 * Routes records that a source's deserializer rejects to the dead-letter topic and lets processing continue.
 *
 * <p>Kafka 4.1.2 (the version Quarkus 3.33 pins) does not ship KIP-1034's built-in dead-letter support
 * ({@code DeserializationExceptionHandler.Response} with dead-letter records arrived later), so this handler
 * writes the dead letter itself, synchronously, with a plain producer: it is outside the exactly-once
 * transaction (at-least-once), and if the write fails the handler answers FAIL so that nothing is lost.
 * The topology's sources read raw bytes and validate in their first processor, so in practice this handler only
 * sees records that even the byte-array deserializer cannot produce; it is the safety net the style requires.
 */
public class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
    /** Streams config key carrying the dead-letter topic name to the handler (required). */
    public static final String DLQ_TOPIC_CONFIG = "avis.dlq.topic";
    /** Streams config key carrying the dead-letter topic's {@code max.message.bytes} to the handler (required). */
    public static final String DLQ_MAX_BYTES_CONFIG = "avis.dlq.max-message-bytes";
    static final String STAGE = "deserialize";
    private static final Logger LOG = Logger.getLogger(DeadLetterDeserializationHandler.class);
    private static final Map<String, Producer<byte[], byte[]>> PRODUCERS = new ConcurrentHashMap<>();

    private Producer<byte[], byte[]> producer;
    private String topic;

    public DeadLetterDeserializationHandler() {
    }

    DeadLetterDeserializationHandler(Producer<byte[], byte[]> producer, String topic) {
        this.producer = producer;
        this.topic = topic;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // The names come from the contract the service runs (AvisStreams puts them in the Streams config): a
        // contract file given at run time must reach this handler too.
        this.topic = required(configs, DLQ_TOPIC_CONFIG);
        String maxBytes = required(configs, DLQ_MAX_BYTES_CONFIG);
        String bootstrap = String.valueOf(configs.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.producer = PRODUCERS.computeIfAbsent(bootstrap, b -> {
            Map<String, Object> props = clientSettings(configs);
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, maxBytes);
            props.put(ProducerConfig.CLIENT_ID_CONFIG, "avis-dlq-deserialization");
            return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        });
    }

    /**
     * The producer settings of the Streams configuration this handler is given: every producer key it holds (the
     * service's TLS / SASL block among them, which {@code KafkaClientProperties} put there), then the
     * {@code producer.}-prefixed overrides; so the dead-letter producer connects exactly as Streams' own producers.
     */
    static Map<String, Object> clientSettings(Map<String, ?> configs) {
        Map<String, Object> props = new HashMap<>();
        java.util.Set<String> producerKeys = ProducerConfig.configNames();
        configs.forEach((k, v) -> {
            if (producerKeys.contains(k) || k.startsWith("config.providers")) {
                props.put(k, v);
            }
        });
        configs.forEach((k, v) -> {
            if (k.startsWith(StreamsConfig.PRODUCER_PREFIX)
                    && producerKeys.contains(k.substring(StreamsConfig.PRODUCER_PREFIX.length()))) {
                props.put(k.substring(StreamsConfig.PRODUCER_PREFIX.length()), v);
            }
        });
        // Never part of the dead-letter producer: Streams' transactional and serializer settings.
        props.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        props.remove(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
        props.remove(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG);
        return props;
    }

    private static String required(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            throw new IllegalStateException(key + " is not set: the dead-letter handler needs the contract's dead-letter"
                    + " topic (AvisStreams sets it)");
        }
        return String.valueOf(value);
    }

    /** The dead-letter topic this handler writes to (after {@link #configure}). */
    public String topic() {
        return topic;
    }

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        DlqReason reason = DlqReason.UNDECODABLE;
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof InvalidMessageException invalid) {
                reason = invalid.reason();
                break;
            }
        }
        var headers = DeadLetters.headers(record.headers(), reason, exception.getMessage(), STAGE, record.topic(),
                record.partition(), record.offset(), record.timestamp(), exception.getClass().getName());
        try {
            // A record without a timestamp (-1) gets the dead-letter write time.
            Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
            producer.send(new ProducerRecord<>(topic, null, timestamp, record.key(), record.value(), headers))
                    .get(30, TimeUnit.SECONDS);
            LOG.debugf("dead letter: reason=%s stage=%s topic=%s partition=%d offset=%d", reason, STAGE, record.topic(),
                    record.partition(), record.offset());
            return DeserializationHandlerResponse.CONTINUE;
        } catch (Exception e) {
            LOG.errorf(e, "could not write dead letter for topic=%s partition=%d offset=%d: stopping rather than losing it",
                    record.topic(), record.partition(), record.offset());
            return DeserializationHandlerResponse.FAIL;
        }
    }

    /** Closes the shared dead-letter producers (at shutdown, after Kafka Streams has closed). */
    public static void closeProducers() {
        PRODUCERS.values().forEach(p -> p.close(java.time.Duration.ofSeconds(5)));
        PRODUCERS.clear();
    }
}
