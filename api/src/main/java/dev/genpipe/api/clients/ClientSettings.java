package dev.genpipe.api.clients;

import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may submit jobs, and how much.
 *
 * @param openAccess        dev mode: requests without an API key act as client {@code anonymous} (loudly logged at
 *                          start-up); never in production. Environment {@code GENPIPE_OPEN_ACCESS}
 * @param apiKeys           {@code clientId:sha256hex} entries — only the SHA-256 of each key is configured, never the
 *                          key itself. Environment {@code GENPIPE_API_KEYS} (comma separated); the format is checked
 *                          by {@link ApiKeyRegistry}, which never echoes an entry
 * @param submitsPerMinute  per client and API instance; beyond it {@code 429} with {@code Retry-After}
 * @param maxStreams        open SSE streams per client and API instance
 * @param dailyTokens       Gemini tokens a client's jobs may use per UTC day (0: no budget); beyond it new jobs get
 *                          {@code 429} before any Gemini call
 */
@Validated
@ConfigurationProperties("genpipe.clients")
public record ClientSettings(
        @DefaultValue("false") boolean openAccess,
        @DefaultValue({}) List<String> apiKeys,
        @DefaultValue("120") @Min(value = 1, message = "must be at least 1") int submitsPerMinute,
        @DefaultValue("20") @Min(value = 1, message = "must be at least 1") int maxStreams,
        @DefaultValue("0") @Min(value = 0, message = "must be 0 (no budget) or more") long dailyTokens) {

    public ClientSettings {
        apiKeys = apiKeys == null ? List.of() : List.copyOf(apiKeys);
    }

    /** The key hashes are not secret, but there is no reason to print them either. */
    @Override
    public String toString() {
        return "ClientSettings[openAccess=" + openAccess + ", apiKeys=" + apiKeys.size() + " configured"
                + ", submitsPerMinute=" + submitsPerMinute + ", maxStreams=" + maxStreams
                + ", dailyTokens=" + dailyTokens + "]";
    }
}
