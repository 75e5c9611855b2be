package dev.genpipe.api.webhooks;

import dev.genpipe.api.config.PositiveDuration;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Completion webhooks, bound from {@code genpipe.webhooks.*} (environment: the {@code GENPIPE_WEBHOOK_*} placeholders
 * of {@code genpipe-api.yml}).
 *
 * @param allowedHosts   hosts a {@code callbackUrl} may name: exact names or IP literals, or {@code *.example.com}
 *                       (any subdomain); empty (the default) turns webhooks off. Only an exact entry may use plain
 *                       http or reach a private, loopback or link-local address ({@link CallbackPolicy})
 * @param secrets        {@code clientId:whsec_<base64>} per client (open access: client {@code anonymous}); a job
 *                       with a callback needs its client's secret. Never printed
 * @param retryFor       how long after a job ended its webhook is retried (at least one attempt is always made)
 * @param retryBaseDelay the first retry's longest wait; it doubles per attempt (full jitter: a random wait up to it)
 * @param retryMaxDelay  the longest wait between two attempts
 * @param timeout        the time limit of one attempt (connect and answer): a receiver that never answers costs one
 *                       timeout per attempt
 * @param maxInFlight    attempts under way at once on this instance
 * @param maxPending     deliveries under way (attempting or waiting to retry) before this instance stops taking more
 */
@Validated
@ConfigurationProperties("genpipe.webhooks")
public record WebhookSettings(
        @DefaultValue({}) List<String> allowedHosts,
        @DefaultValue({}) List<String> secrets,
        @DefaultValue("1h") @PositiveDuration Duration retryFor,
        @DefaultValue("5s") @PositiveDuration Duration retryBaseDelay,
        @DefaultValue("10m") @PositiveDuration Duration retryMaxDelay,
        @DefaultValue("10s") @PositiveDuration Duration timeout,
        @DefaultValue("64") @Min(value = 1, message = "must be at least 1") int maxInFlight,
        @DefaultValue("10000") @Min(value = 1, message = "must be at least 1") int maxPending) {

    public WebhookSettings {
        allowedHosts = allowedHosts == null ? List.of()
                : allowedHosts.stream().map(String::strip).filter(h -> !h.isEmpty()).toList();
        secrets = secrets == null ? List.of() : List.copyOf(secrets);
    }

    /** Whether any host is allowed, i.e. webhooks are on. */
    boolean enabled() {
        return !allowedHosts.isEmpty();
    }

    @Override
    public String toString() {
        return "WebhookSettings[allowedHosts=" + allowedHosts + ", secrets=" + secrets.size() + " configured"
                + ", retryFor=" + retryFor + ", retryBaseDelay=" + retryBaseDelay + ", retryMaxDelay=" + retryMaxDelay
                + ", timeout=" + timeout + ", maxInFlight=" + maxInFlight + ", maxPending=" + maxPending + "]";
    }
}
