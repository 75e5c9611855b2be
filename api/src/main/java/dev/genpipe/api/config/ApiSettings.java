package dev.genpipe.api.config;

import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Every setting of the API, bound from {@code genpipe.api.*} (environment: {@code GENPIPE_API_<NAME>}, for example
 * {@code GENPIPE_API_TOPIC_PARTITIONS}). Immutable and checked at start-up: a bad value stops the application with
 * a message that names the setting.
 *
 * @param instanceId            this API instance's name, unique among running instances (logs, Kafka client ids);
 *                              blank means a random one
 * @param readYourWritesWait    how long a status read waits for a job that is not in the state store yet
 * @param sseTimeout            how long one SSE stream may stay open
 * @param sseHeartbeat          interval of SSE keep-alive comments
 * @param maxRequestBytes       largest accepted request body
 * @param topicPartitions       partitions of the GenPipe topics when this instance creates them
 * @param topicReplicas         replication factor of the GenPipe topics (and of the Streams changelog)
 * @param resultTtl             how long a job's final state stays readable
 * @param jobsRetention         retention of the request and event topics (this instance rebuilds its state from them:
 *                              at least {@code resultTtl}; best {@code resultTtl + maxJobAge})
 * @param dltRetention          retention of the dead-letter topic
 * @param kafkaTimeout          longest a Kafka write may block or wait for acknowledgement (a submit answers 503
 *                              after it)
 * @param maxJobs               most jobs this instance keeps in memory; beyond it the oldest finished jobs are
 *                              forgotten before their TTL (counted in {@code genpipe.jobs.state.evicted})
 * @param maxJobAge             the longest a job may run (the workers' {@code GENPIPE_MAX_JOB_AGE}): a restarted
 *                              instance reads the topics back {@code resultTtl + maxJobAge}
 * @param adminToken            bearer token of the admin endpoints ({@code /api/circuit-breaker/**},
 *                              {@code /api/cache/**}); blank or unset disables them. Environment:
 *                              {@code GENPIPE_ADMIN_TOKEN} (or {@code ADMIN_TOKEN}). Never printed: {@link #toString()}
 *                              masks it
 * @param idempotencySecret     key of the HMAC that turns a client's {@code Idempotency-Key} into its job id; set the
 *                              same value on every API instance (environment {@code GENPIPE_API_IDEMPOTENCY_SECRET})
 */
@ConfigurationProperties("genpipe.api")
public record ApiSettings(
        String instanceId,
        @DefaultValue("2s") Duration readYourWritesWait,
        @DefaultValue("30m") Duration sseTimeout,
        @DefaultValue("15s") Duration sseHeartbeat,
        @DefaultValue("64KB") DataSize maxRequestBytes,
        @DefaultValue("12") int topicPartitions,
        @DefaultValue("1") short topicReplicas,
        @DefaultValue("7d") Duration resultTtl,
        @DefaultValue("8d") Duration jobsRetention,
        @DefaultValue("30d") Duration dltRetention,
        @DefaultValue("5s") Duration kafkaTimeout,
        @DefaultValue("500000") int maxJobs,
        @DefaultValue("24h") Duration maxJobAge,
        String adminToken,
        @DefaultValue("genpipe-idempotency") String idempotencySecret) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    public ApiSettings {
        instanceId = instanceId == null || instanceId.isBlank()
                ? UUID.randomUUID().toString().substring(0, 8) : instanceId.strip();
        require(NAME.matcher(instanceId).matches(), "instance-id", "letters, digits, '.', '_' or '-' (at most 100)");
        requirePositive(readYourWritesWait, "read-your-writes-wait");
        requirePositive(sseTimeout, "sse-timeout");
        requirePositive(sseHeartbeat, "sse-heartbeat");
        require(maxRequestBytes != null && maxRequestBytes.toBytes() > 0, "max-request-bytes", "more than 0 bytes");
        require(topicPartitions >= 1, "topic-partitions", "at least 1");
        require(topicReplicas >= 1, "topic-replicas", "at least 1");
        requirePositive(resultTtl, "result-ttl");
        requirePositive(jobsRetention, "jobs-retention");
        require(jobsRetention.compareTo(resultTtl) >= 0, "jobs-retention",
                "at least genpipe.api.result-ttl (job state is rebuilt from the job topics)");
        requirePositive(dltRetention, "dlt-retention");
        requirePositive(kafkaTimeout, "kafka-timeout");
        require(kafkaTimeout.toMillis() >= 1000, "kafka-timeout", "at least 1s");
        require(maxJobs >= 1, "max-jobs", "at least 1");
        requirePositive(maxJobAge, "max-job-age");
        adminToken = adminToken == null || adminToken.isBlank() ? null : adminToken.strip();
    }

    /** Whether the admin endpoints are enabled, i.e. an admin token is configured. */
    public boolean adminEnabled() {
        return adminToken != null;
    }

    /** All settings, the admin token masked: this is what ends up in logs and failure messages. */
    @Override
    public String toString() {
        return "ApiSettings[instanceId=" + instanceId + ", readYourWritesWait=" + readYourWritesWait + ", sseTimeout=" + sseTimeout
                + ", sseHeartbeat=" + sseHeartbeat + ", maxRequestBytes=" + maxRequestBytes
                + ", topicPartitions=" + topicPartitions + ", topicReplicas=" + topicReplicas
                + ", resultTtl=" + resultTtl + ", jobsRetention=" + jobsRetention + ", dltRetention=" + dltRetention
                + ", kafkaTimeout=" + kafkaTimeout + ", maxJobs=" + maxJobs + ", maxJobAge=" + maxJobAge
                + ", adminToken=" + (adminToken == null ? "(none)" : "******") + ", idempotencySecret=******]";
    }

    private static void requirePositive(Duration value, String name) {
        require(value != null && value.isPositive(), name, "a positive duration such as 5s");
    }

    private static void require(boolean valid, String name, String expected) {
        if (!valid) {
            throw new IllegalArgumentException("genpipe.api." + name + " must be " + expected);
        }
    }
}
