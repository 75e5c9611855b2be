package dev.genpipe.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * What the broker holds, read with the Admin client: per topic the sum of its partitions' end offsets (records
 * written, ever) and the size of its logs on disk ({@code describeLogDirs}). Two snapshots around a phase give the
 * records and bytes the phase wrote. {@code __consumer_offsets} (offset commits) is kept apart from the topics
 * GenPipe writes; other internal topics are ignored.
 */
final class KafkaCounts implements AutoCloseable {

    static final String OFFSETS_TOPIC = "__consumer_offsets";

    /** Records and bytes per topic at one moment. */
    record Snapshot(Map<String, Long> records, Map<String, Long> bytes) {

        static final Snapshot NONE = new Snapshot(Map.of(), Map.of());

        /** What was written between {@code earlier} and this snapshot. */
        Written since(Snapshot earlier) {
            if (this == NONE || earlier == NONE) {
                return Written.NONE;
            }
            long bytes = 0;
            Map<String, Long> byTopic = new java.util.TreeMap<>();
            for (String topic : this.records.keySet()) {
                if (!topic.equals(OFFSETS_TOPIC)) {
                    byTopic.put(topic, this.records.get(topic) - earlier.records.getOrDefault(topic, 0L));
                    bytes += this.bytes.getOrDefault(topic, 0L) - earlier.bytes.getOrDefault(topic, 0L);
                }
            }
            long commits = this.records.getOrDefault(OFFSETS_TOPIC, 0L)
                    - earlier.records.getOrDefault(OFFSETS_TOPIC, 0L);
            return new Written(byTopic.values().stream().mapToLong(Long::longValue).sum(), bytes, commits,
                    Map.copyOf(byTopic));
        }
    }

    /**
     * Written during a phase: records and log bytes of GenPipe's topics, and records of {@code __consumer_offsets}.
     */
    record Written(long records, long bytes, long offsetCommits, Map<String, Long> byTopic) {

        static final Written NONE = new Written(-1, -1, -1, Map.of());

        boolean present() {
            return records >= 0;
        }
    }

    private final Admin admin;

    KafkaCounts(String bootstrapServers) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "bench-kafka-counts");
        admin = Admin.create(config);
    }

    /** The broker's counts now; {@link Snapshot#NONE} if it does not answer in time. */
    Snapshot snapshot() {
        try {
            List<String> topics = new ArrayList<>(admin.listTopics(new ListTopicsOptions().listInternal(true))
                    .names().get(20, TimeUnit.SECONDS).stream()
                    .filter(t -> !t.startsWith("__") || t.equals(OFFSETS_TOPIC)).toList());
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(20, TimeUnit.SECONDS)
                    .values()) {
                d.partitions().forEach(p -> latest.put(new TopicPartition(d.name(), p.partition()),
                        OffsetSpec.latest()));
            }
            Map<String, Long> records = new HashMap<>();
            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                    : admin.listOffsets(latest).all().get(20, TimeUnit.SECONDS).entrySet()) {
                records.merge(e.getKey().topic(), e.getValue().offset(), Long::sum);
            }
            Map<String, Long> bytes = new HashMap<>();
            List<Integer> brokers = admin.describeCluster().nodes().get(20, TimeUnit.SECONDS).stream()
                    .map(org.apache.kafka.common.Node::id).toList();
            admin.describeLogDirs(brokers).allDescriptions().get(20, TimeUnit.SECONDS).values()
                    .forEach(dirs -> dirs.values().forEach(dir -> dir.replicaInfos().forEach((tp, info) ->
                            bytes.merge(tp.topic(), info.size(), Long::sum))));
            return new Snapshot(Map.copyOf(records), Map.copyOf(bytes));
        } catch (ExecutionException | TimeoutException e) {
            return Snapshot.NONE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Snapshot.NONE;
        }
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
