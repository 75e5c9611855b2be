package dev.genpipe.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The one definition of GenPipe's topics: partitions, replication, cleanup and retention. The API and the workers
 * both declare them at start-up (whichever starts first creates them), from this plan, so the two can never
 * disagree. Every topic keyed by a job id or fingerprint has {@code partitions} partitions; the pool's control topics
 * have one (a few small records, read whole by every process).
 *
 * @param partitions    partitions of the job topics (both lanes' request topics and the events)
 * @param replicas      replication factor of every topic (3 or more: min.insync.replicas 2)
 * @param jobsRetention retention of the request and event topics: the API rebuilds job state from them, so it must
 *                      cover the result TTL plus the longest a job may run
 * @param dltRetention  retention of the dead-letter topic
 */
public record TopicPlan(int partitions, short replicas, Duration jobsRetention, Duration dltRetention) {

    /**
     * Retention of the job topics when nobody configured it: eight days (the default result TTL of a week plus the
     * default longest job of a day); dead letters a month.
     */
    public static final Duration DEFAULT_JOBS_RETENTION = Duration.ofDays(8);
    public static final Duration DEFAULT_DLT_RETENTION = Duration.ofDays(30);

    private static final String COMPACT_DELETE = TopicConfig.CLEANUP_POLICY_COMPACT + ","
            + TopicConfig.CLEANUP_POLICY_DELETE;

    /** The plan with the default retentions. */
    public static TopicPlan withDefaults(int partitions, short replicas) {
        return new TopicPlan(partitions, replicas, DEFAULT_JOBS_RETENTION, DEFAULT_DLT_RETENTION);
    }

    /** Every topic. */
    public List<NewTopic> topics() {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(topic(Topics.JOBS, partitions, TopicConfig.CLEANUP_POLICY_DELETE, jobsRetention));
        topics.add(topic(Topics.JOBS_BULK, partitions, TopicConfig.CLEANUP_POLICY_DELETE, jobsRetention));
        topics.add(topic(Topics.JOB_EVENTS, partitions, TopicConfig.CLEANUP_POLICY_DELETE, jobsRetention));
        topics.add(topic(Topics.JOBS_DLT, partitions, TopicConfig.CLEANUP_POLICY_DELETE, dltRetention));
        // each worker's latest heartbeat (compact); workers gone for a day are dropped (delete)
        NewTopic status = topic(Topics.WORKER_STATUS, 1, COMPACT_DELETE, Duration.ofDays(1));
        status.configs().putAll(Map.of(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0",
                TopicConfig.SEGMENT_MS_CONFIG, Long.toString(Duration.ofHours(1).toMillis())));
        topics.add(status);
        // commands to every worker, read from the end: an hour is plenty
        topics.add(topic(Topics.WORKER_COMMANDS, 1, TopicConfig.CLEANUP_POLICY_DELETE, Duration.ofHours(1)));
        // cancelled job ids, read whole by every worker
        topics.add(topic(Topics.JOB_CANCELLATIONS, 1, TopicConfig.CLEANUP_POLICY_DELETE, Duration.ofDays(1)));
        return topics;
    }

    private NewTopic topic(String name, int count, String cleanupPolicy, Duration retention) {
        NewTopic topic = new NewTopic(name, count, replicas);
        java.util.HashMap<String, String> configs = new java.util.HashMap<>(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy,
                TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())));
        if (replicas >= 3) {
            configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        }
        return topic.configs(configs);
    }
}
