package dev.genpipe.worker.gemini;

import com.google.genai.Client;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GeminiSettings.class)
class GeminiConfig {

    private static final Logger log = LoggerFactory.getLogger(GeminiConfig.class);

    /**
     * The SDK's client, on an OkHttp client whose connection pool keeps as many idle connections as the worker may
     * have calls in flight (GENPIPE_MAX_IN_FLIGHT): OkHttp's default keeps 5, so at higher concurrency most calls to an HTTP/1.1 endpoint (the
     * stand-in, a proxy) paid a new TCP connection and the pool's clean-up churn (measured: 5 % of the worker's CPU).
     * Timeouts as the SDK sets them on its own client (none per socket; the call timeout bounds a call). Idle
     * connections live {@code genpipe.gemini.keep-alive} (20 s).
     */
    @Bean(destroyMethod = "close")
    Client geminiClient(GeminiSettings settings,
                        @Value("${genpipe.worker.max-in-flight:256}") int maxInFlight) {
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
        OkHttpClient transport = new OkHttpClient.Builder()
                // idle connections are kept for less time than servers keep them (the JDK's HTTP server: 30 s; load
                // balancers and Google's front ends: their own), so a pooled connection is rarely one the server has
                // already closed; when it is, OkHttp retries on a new connection (retryOnConnectionFailure)
                .connectionPool(new ConnectionPool(maxInFlight, settings.keepAlive().toMillis(), TimeUnit.MILLISECONDS))
                .retryOnConnectionFailure(true)
                .connectTimeout(Duration.ZERO).readTimeout(Duration.ZERO).writeTimeout(Duration.ZERO)
                .build();
        return Client.builder().apiKey(settings.apiKey()).httpOptions(http.build())
                .clientOptions(ClientOptions.builder().customHttpClient(transport).build())
                .build();
    }
}
