package dev.genpipe.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts the terminal events ({@code succeeded}, {@code failed}, {@code cancelled}) of every job on
 * {@code genpipe.job-events}, read committed, so a job that GenPipe completed twice shows up even though the API's
 * lifecycle guard hides the second completion from clients.
 */
final class TerminalEvents implements AutoCloseable {

    static final String TOPIC = "genpipe.job-events";
    private static final Pattern TERMINAL = Pattern.compile("\"event\"\\s*:\\s*\"(succeeded|failed|cancelled)\"");

    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean closed;

    private TerminalEvents(KafkaConsumer<String, byte[]> consumer) {
        reader = Thread.ofPlatform().daemon().name("bench-terminal-events").start(() -> read(consumer));
    }

    /** Reads the topic from its beginning (it must exist: the API creates it at start-up). */
    static TerminalEvents start(String bootstrapServers, Duration topicTimeout) throws InterruptedException {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config);
        long deadline = System.nanoTime() + topicTimeout.toNanos();
        while (true) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC, Duration.ofSeconds(5)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            if (!partitions.isEmpty()) {
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                break;
            }
            if (System.nanoTime() > deadline) {
                consumer.close();
                throw new IllegalStateException(TOPIC + " does not exist after " + topicTimeout.toSeconds() + " s");
            }
            Thread.sleep(500);
        }
        return new TerminalEvents(consumer);
    }

    /** Terminal events seen for the job so far. */
    int count(String jobId) {
        return counts.getOrDefault(jobId, 0);
    }

    private void read(KafkaConsumer<String, byte[]> consumer) {
        try (consumer) {
            while (!closed) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.value() != null
                            && TERMINAL.matcher(new String(record.value(), StandardCharsets.UTF_8)).find()) {
                        counts.merge(record.key(), 1, Integer::sum);
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.InterruptException | org.apache.kafka.common.errors.WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            if (!closed) {
                System.err.println("[bench] reading " + TOPIC + " failed: " + e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
