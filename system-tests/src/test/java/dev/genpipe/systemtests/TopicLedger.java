package dev.genpipe.systemtests;

import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.kafka.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the GenPipe topics themselves, not what the API makes of them: every record written since a {@link #mark()},
 * on every topic of the broker (internal ones aside). What tests count records, bytes and terminal events with.
 */
final class TopicLedger implements AutoCloseable {

    private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);

    /** One record as it is on the broker. */
    record Entry(String topic, String key, byte[] value) {
        int bytes() {
            return (key == null ? 0 : key.length()) + (value == null ? 0 : value.length);
        }

        JobEvent event() {
            return EVENTS.deserialize(topic, value);
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Admin admin;

    TopicLedger(String bootstrapServers) {
        this(bootstrapServers, "read_uncommitted");
    }

    /** With {@code read_committed}, the ledger reads the events as the API's fold does. */
    TopicLedger(String bootstrapServers, String isolationLevel) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false, ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                isolationLevel), new StringDeserializer(), new ByteArrayDeserializer());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    /** The end offset of every partition of every topic now. */
    Map<TopicPartition, Long> mark() {
        try {
            Set<String> topics = admin.listTopics().names().get().stream().filter(t -> !t.startsWith("__"))
                    .collect(Collectors.toSet());
            List<TopicPartition> partitions = new ArrayList<>();
            admin.describeTopics(topics).allTopicNames().get().values().forEach(description -> description.partitions()
                    .forEach(p -> partitions.add(new TopicPartition(description.name(), p.partition()))));
            return new HashMap<>(consumer.endOffsets(partitions, Duration.ofSeconds(10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Every record written after {@code mark} (on topics that exist now; a new topic counts from its start). */
    List<Entry> since(Map<TopicPartition, Long> mark) {
        Map<TopicPartition, Long> ends = mark();
        List<Entry> entries = new ArrayList<>();
        consumer.assign(ends.keySet());
        ends.keySet().forEach(p -> consumer.seek(p, mark.getOrDefault(p, 0L)));
        Map<TopicPartition, Long> pending = new HashMap<>(ends);
        pending.entrySet().removeIf(e -> e.getValue() <= mark.getOrDefault(e.getKey(), 0L));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!pending.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("could not read the topics up to " + pending);
            }
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                Long end = ends.get(partition);
                if (end != null && record.offset() < end) {
                    entries.add(new Entry(record.topic(), record.key(), record.value()));
                }
            }
            pending.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
        }
        return entries;
    }

    /** Every event on {@code genpipe.job-events} from the beginning, by job id. */
    Map<String, List<JobEvent>> eventsByJob() {
        Map<String, List<JobEvent>> byJob = new HashMap<>();
        for (Entry entry : since(Map.of())) {
            if (entry.topic().equals(Topics.JOB_EVENTS)) {
                JobEvent event = entry.event();
                byJob.computeIfAbsent(event.jobId().toString(), id -> new ArrayList<>()).add(event);
            }
        }
        return byJob;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(5));
    }
}
