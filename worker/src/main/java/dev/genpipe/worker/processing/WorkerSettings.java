package dev.genpipe.worker.processing;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How a worker consumes. {@code maxInFlight} bounds the jobs one worker processes at once (not the partitions it
 * owns); {@code maxAttempts}, {@code retryBaseDelay} and {@code retryMaxDelay} shape retries of retryable failures
 * (exponential back-off with full jitter); a job older than {@code maxJobAge} ends FAILED ({@code expired}) instead of
 * waiting any longer (for instance through a long Gemini outage). Offsets are committed once per loop iteration in
 * which jobs finished (each commit is one write to {@code __consumer_offsets}), with the finished offsets above the
 * committed one in the commit's metadata; while jobs run the loop comes round at least every {@code commitInterval}, so
 * a crash runs again only what finished within that long before it (besides the jobs it interrupted).
 *
 * <p>{@code bulkShare} is the part of the in-flight places (of {@code maxInFlight}, or of the breaker's bound) that bulk
 * jobs keep while they wait and interactive jobs wait too: at least one place (when the bound has two or more), at
 * most all but one; 0 gives interactive jobs strict priority (bulk work then waits as long as interactive work does).
 *
 * <p>{@code endLease} and {@code endMemory} shape {@link EndClaims}: how long a run's claim on writing a job's ending
 * outlives a dead worker, and how long a written ending is remembered so that an overlapping run writes none.
 */
@Validated
@ConfigurationProperties("genpipe.worker")
public record WorkerSettings(
        String id,
        @Min(1) @Max(10_000) int maxInFlight,
        @NotNull Duration pollTimeout,
        @NotNull Duration shutdownGrace,
        @NotNull Duration revokeGrace,
        @Min(1) @Max(100) int maxAttempts,
        @NotNull Duration retryBaseDelay,
        @NotNull Duration retryMaxDelay,
        @NotNull Duration maxJobAge,
        @NotNull Duration commitInterval,
        @DecimalMin("0.0") @DecimalMax("0.5") double bulkShare,
        @NotNull Duration endLease,
        @NotNull Duration endMemory) {

    public WorkerSettings {
        if (id == null || id.isBlank()) {
            id = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        }
    }
}
