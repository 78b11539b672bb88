package io.avisstream.avis.api.ingest;

import io.avisstream.avis.message.AudioChunkMessage;
import io.avisstream.avis.message.FrameMessage;
import io.avisstream.avis.topology.contract.Topic;
import io.avisstream.avis.topology.contract.TopicContract;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One stream's frames and audio onto the frames and audio topics (ingest, demo): an idempotent producer sized from
 * the contract ({@link KafkaIngestTransport#producerConfig}), values through the topics' own serdes, keyed by the
 * stream id, record timestamps following the stream's pts from the first record on (Kafka Streams interleaves
 * frames and audio by them). A failed send surfaces at the next {@link #flush()} (or every few records) as an
 * {@link IllegalStateException} with one sentence, instead of being lost in a callback.
 */
public final class StreamProducer implements AutoCloseable {

    private final String bootstrap;
    private final TopicContract contract;
    private final String streamId;
    private final int maxInFlight;
    private final KafkaProducer<String, byte[]> producer;
    private final List<Future<RecordMetadata>> inFlight = new ArrayList<>();
    private long baseEpochMillis = Long.MIN_VALUE;

    /**
     * @param client bootstrap servers and security settings ({@code KafkaClientProperties.forBootstrap})
     * @param maxInFlight records sent before their acknowledgements are awaited
     */
    public StreamProducer(Map<String, Object> client, TopicContract contract, String streamId, String clientId,
            int maxInFlight) {
        this.bootstrap = String.valueOf(client.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.contract = contract;
        this.streamId = streamId;
        this.maxInFlight = maxInFlight;
        this.producer = new KafkaProducer<>(KafkaIngestTransport.producerConfig(client, contract, clientId),
                new StringSerializer(), new ByteArraySerializer());
    }

    public void send(FrameMessage frame) {
        send(contract.frames(), frame, frame.ptsMicros());
    }

    public void send(AudioChunkMessage chunk) {
        send(contract.audio(), chunk, chunk.startMicros());
    }

    private <V> void send(Topic<String, V> topic, V value, long micros) {
        if (baseEpochMillis == Long.MIN_VALUE) {
            baseEpochMillis = System.currentTimeMillis() - micros / 1000;
        }
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        inFlight.add(producer.send(new ProducerRecord<>(topic.name(), null, baseEpochMillis + micros / 1000, streamId,
                bytes)));
        if (inFlight.size() >= maxInFlight) {
            awaitAcks();
        }
    }

    /** Blocks until everything sent is acknowledged. */
    public void flush() {
        producer.flush();
        awaitAcks();
    }

    private void awaitAcks() {
        try {
            for (Future<RecordMetadata> ack : inFlight) {
                ack.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka at " + bootstrap + " did not take a record: "
                    + e.getCause().getMessage(), e.getCause());
        } finally {
            inFlight.clear();
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
