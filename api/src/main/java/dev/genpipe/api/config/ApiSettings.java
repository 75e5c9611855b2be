package dev.genpipe.api.config;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.UUID;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of the API, bound from {@code genpipe.api.*} (environment: {@code GENPIPE_API_<NAME>}, for example
 * {@code GENPIPE_API_TOPIC_PARTITIONS}; the deployment's other names are placeholders in {@code genpipe-api.yml}).
 * Immutable and validated at start-up: a bad value stops the application with a message that names the setting.
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
 * @param kafkaTimeout          longest a read of Kafka's metadata or offsets may take (the job state's reader)
 * @param submitTimeout         longest a submit (or a cancellation) waits for Kafka's acknowledgement, blocking for
 *                              metadata included: then it answers 503 with {@code Retry-After}. The producer's
 *                              {@code max.block.ms}, {@code request.timeout.ms} and {@code delivery.timeout.ms} follow
 *                              it, so a record not acknowledged by then is failed by the producer too (though one
 *                              already on its way may still be written)
 * @param maxJobs               most jobs this instance keeps in memory; beyond it the oldest finished jobs are
 *                              forgotten before their TTL (counted in {@code genpipe.jobs.state.evicted})
 * @param maxJobAge             the longest a job may run (the workers' {@code GENPIPE_MAX_JOB_AGE}): a restarted
 *                              instance reads the topics back {@code resultTtl + maxJobAge}
 * @param adminToken            bearer token of the admin endpoints ({@code /api/circuit-breaker/**},
 *                              {@code /api/cache/**}, actuator); blank or unset disables them. Environment:
 *                              {@code GENPIPE_ADMIN_TOKEN} (or {@code ADMIN_TOKEN}). Never printed: {@link #toString()}
 *                              masks it
 * @param idempotencySecret     key of the HMAC that turns a client's {@code Idempotency-Key} into its job id; set the
 *                              same value on every API instance (environment {@code GENPIPE_API_IDEMPOTENCY_SECRET})
 */
@Validated
@ConfigurationProperties("genpipe.api")
public record ApiSettings(
        @Pattern(regexp = "[A-Za-z0-9._-]{1,100}", message = "must be letters, digits, '.', '_' or '-' (at most 100)")
        String instanceId,
        @DefaultValue("2s") @PositiveDuration Duration readYourWritesWait,
        @DefaultValue("30m") @PositiveDuration Duration sseTimeout,
        @DefaultValue("15s") @PositiveDuration Duration sseHeartbeat,
        @DefaultValue("64KB") @NotNull DataSize maxRequestBytes,
        @DefaultValue("12") @Min(value = 1, message = AT_LEAST_1) int topicPartitions,
        @DefaultValue("1") @Min(value = 1, message = AT_LEAST_1) short topicReplicas,
        @DefaultValue("7d") @PositiveDuration Duration resultTtl,
        @DefaultValue("8d") @PositiveDuration Duration jobsRetention,
        @DefaultValue("30d") @PositiveDuration Duration dltRetention,
        @DefaultValue("5s") @NotNull @DurationMin(seconds = 1, message = "must be at least 1s") Duration kafkaTimeout,
        @DefaultValue("2s") @NotNull @DurationMin(millis = 100, message = "must be at least 100ms") Duration submitTimeout,
        @DefaultValue("500000") @Min(value = 1, message = AT_LEAST_1) int maxJobs,
        @DefaultValue("24h") @PositiveDuration Duration maxJobAge,
        String adminToken,
        @DefaultValue("genpipe-idempotency") @NotBlank String idempotencySecret) {

    static final String AT_LEAST_1 = "must be at least 1";

    public ApiSettings {
        instanceId = instanceId == null || instanceId.isBlank()
                ? UUID.randomUUID().toString().substring(0, 8) : instanceId.strip();
        adminToken = adminToken == null || adminToken.isBlank() ? null : adminToken.strip();
    }

    @AssertTrue(message = "genpipe.api.max-request-bytes must be more than 0 bytes")
    boolean isMaxRequestBytesPositive() {
        return maxRequestBytes == null || maxRequestBytes.toBytes() > 0;
    }

    @AssertTrue(message = "genpipe.api.jobs-retention must be at least genpipe.api.result-ttl "
            + "(job state is rebuilt from the job topics)")
    boolean isJobsRetentionCoveringResultTtl() {
        return jobsRetention == null || resultTtl == null || jobsRetention.compareTo(resultTtl) >= 0;
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
                + ", kafkaTimeout=" + kafkaTimeout + ", submitTimeout=" + submitTimeout + ", maxJobs=" + maxJobs + ", maxJobAge=" + maxJobAge
                + ", adminToken=" + (adminToken == null ? "(none)" : "******") + ", idempotencySecret=******]";
    }
}
