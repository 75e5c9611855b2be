package dev.genpipe.worker.gemini;

import com.google.genai.Client;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GeminiSettings.class)
class GeminiConfig {

    private static final Logger log = LoggerFactory.getLogger(GeminiConfig.class);

    @Bean(destroyMethod = "close")
    Client geminiClient(GeminiSettings settings) {
        if (settings.apiKey() == null || settings.apiKey().isBlank()) {
            throw new IllegalStateException("genpipe.gemini.api-key (GEMINI_API_KEY) is not set: set it for the real "
                    + "Gemini API, or set GEMINI_BASE_URL to the offline stand-in and any key");
        }
        HttpOptions.Builder http = HttpOptions.builder()
                .timeout(Math.toIntExact(settings.timeout().toMillis()))
                // one attempt and no retryable status codes: our retry policy and the circuit breaker must see
                // every failure at once (with attempts(1) alone the SDK still sleeps up to 2 s after a 429/5xx)
                .retryOptions(HttpRetryOptions.builder().attempts(1).httpStatusCodes(List.of()).build());
        if (settings.usesStandIn()) {
            http.baseUrl(settings.baseUrl());
            log.warn("Gemini: OFFLINE STAND-IN at {} (no real Gemini calls are made)", settings.baseUrl());
        } else {
            log.info("Gemini: real API, model {}", settings.model());
        }
        return Client.builder().apiKey(settings.apiKey()).httpOptions(http.build()).build();
    }
}
