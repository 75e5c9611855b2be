package dev.genpipe.worker.limits;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Limits shared by every worker (through Redis): Gemini requests and tokens (input + output) per {@code window}.
 * 0 means no limit.
 */
@Validated
@ConfigurationProperties("genpipe.limits")
record LimitSettings(@Min(0) long requestsPerWindow, @Min(0) long tokensPerWindow, @NotNull Duration window) {

    boolean anyLimit() {
        return requestsPerWindow > 0 || tokensPerWindow > 0;
    }
}
