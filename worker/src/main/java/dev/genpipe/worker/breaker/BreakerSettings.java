package dev.genpipe.worker.breaker;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.validation.annotation.Validated;

/**
 * The circuit breaker around Gemini, in the original app's terms: it opens after {@code failureThreshold}
 * consecutive outage failures (CIRCUIT_BREAKER_FAILURE_THRESHOLD) — or, with a {@code windowSize} larger than the
 * threshold, when {@code failureRateThreshold} percent of the last {@code windowSize} calls failed — and stays open
 * before it lets {@code halfOpenCalls} probes through: {@code firstRecoveryTimeout} the first time, twice as long each
 * time the probes fail again, never longer than {@code recoveryTimeout} (CIRCUIT_BREAKER_RECOVERY_TIMEOUT). A blip
 * costs seconds; a long outage costs a few probes per {@code recoveryTimeout}.
 * Calls slower than {@code slowCallDuration} count as slow; {@code slowCallRateThreshold} percent of slow calls
 * opens it too.
 */
@Validated
@ConfigurationProperties("genpipe.breaker")
record BreakerSettings(
        @Min(1) @Max(1000) int failureThreshold,
        @NotNull @DurationUnit(ChronoUnit.SECONDS) Duration recoveryTimeout,
        @NotNull @DurationUnit(ChronoUnit.SECONDS) Duration firstRecoveryTimeout,
        @DecimalMin("1") @DecimalMax("100") float failureRateThreshold,
        @Min(0) @Max(10_000) int windowSize,
        @NotNull Duration slowCallDuration,
        @DecimalMin("1") @DecimalMax("100") float slowCallRateThreshold,
        @Min(1) @Max(100) int halfOpenCalls) {

    /** The first wait in OPEN: never longer than the longest. */
    Duration firstWait() {
        return firstRecoveryTimeout.compareTo(recoveryTimeout) < 0 ? firstRecoveryTimeout : recoveryTimeout;
    }

    int effectiveWindow() {
        return Math.max(windowSize, failureThreshold);
    }
}
