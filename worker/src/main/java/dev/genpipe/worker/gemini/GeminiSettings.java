package dev.genpipe.worker.gemini;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the worker talks to Gemini. {@code baseUrl} is empty for the real API and points at the offline stand-in
 * otherwise; {@code timeout} is the time limit of one call (CIRCUIT_BREAKER_TIMEOUT); {@code keepAlive} how long an
 * idle connection to Gemini is kept for reuse (below the servers' own idle timeouts). {@code fallbackModel}
 * (GEMINI_FALLBACK_MODEL, empty: none) answers jobs that allow it while {@code model}'s breaker is OPEN or its daily
 * quota is spent; {@code allowFallback} (GENPIPE_ALLOW_FALLBACK) is what a job that does not say allows.
 */
@Validated
@ConfigurationProperties("genpipe.gemini")
public record GeminiSettings(
        String apiKey,
        @NotBlank String model,
        String baseUrl,
        @NotNull @DurationUnit(ChronoUnit.SECONDS) Duration timeout,
        @NotBlank String promptVersion,
        @NotNull Duration keepAlive,
        String fallbackModel,
        boolean allowFallback) {

    /** The models this worker calls: the primary first, then the fallback when one is configured. */
    public List<String> models() {
        return fallback().map(f -> List.of(model, f)).orElse(List.of(model));
    }

    /** The fallback model, when one is configured (and it is not the primary itself). */
    public Optional<String> fallback() {
        return fallbackModel == null || fallbackModel.isBlank() || fallbackModel.strip().equals(model)
                ? Optional.empty() : Optional.of(fallbackModel.strip());
    }

    public boolean usesStandIn() {
        return baseUrl != null && !baseUrl.isBlank();
    }

    @Override
    public String toString() {
        return "GeminiSettings[model=" + model + ", fallbackModel=" + fallback().orElse("(none)") + ", allowFallback="
                + allowFallback + ", baseUrl=" + (usesStandIn() ? baseUrl : "(Gemini API)")
                + ", timeout=" + timeout + ", keepAlive=" + keepAlive + ", promptVersion=" + promptVersion + ", apiKey=" + (apiKey == null || apiKey.isBlank() ? "(none)" : "****") + "]";
    }
}
