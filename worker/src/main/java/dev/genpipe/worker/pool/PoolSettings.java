package dev.genpipe.worker.pool;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** How often this worker tells the pool (and so the API) about its breaker and consumption. */
@Validated
@ConfigurationProperties("genpipe.pool")
record PoolSettings(@NotNull Duration heartbeat) {
}
