package dev.genpipe.worker.gemini;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the worker talks to Gemini. {@code baseUrl} is empty for the real API and points at the offline stand-in
 * otherwise; {@code timeout} is the time limit of one call (CIRCUIT_BREAKER_TIMEOUT); {@code keepAlive} how long an
 * idle connection to Gemini is kept for reuse (below the servers' own idle timeouts).
 */
@Validated
@ConfigurationProperties("genpipe.gemini")
public record GeminiSettings(
        String apiKey,
        @NotBlank String model,
        String baseUrl,
        @NotNull @DurationUnit(ChronoUnit.SECONDS) Duration timeout,
        @NotBlank String promptVersion,
        @NotNull Duration keepAlive) {

    public boolean usesStandIn() {
        return baseUrl != null && !baseUrl.isBlank();
    }

    @Override
    public String toString() {
        return "GeminiSettings[model=" + model + ", baseUrl=" + (usesStandIn() ? baseUrl : "(Gemini API)")
                + ", timeout=" + timeout + ", keepAlive=" + keepAlive + ", promptVersion=" + promptVersion + ", apiKey=" + (apiKey == null || apiKey.isBlank() ? "(none)" : "****") + "]";
    }
}
