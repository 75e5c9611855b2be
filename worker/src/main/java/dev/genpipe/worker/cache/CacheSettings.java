package dev.genpipe.worker.cache;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.convert.DurationUnit;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The result cache: the original app's settings (CACHE_TTL, CACHE_MAX_SIZE, REDIS_*), and the lease of a
 * single-flight leader in Redis (renewed while its call runs; how long a dead worker's flight outlives it).
 */
@Validated
@ConfigurationProperties("genpipe.cache")
record CacheSettings(
        @NotNull @DurationUnit(ChronoUnit.SECONDS) Duration ttl,
        @Min(1) int maxSize,
        boolean redisEnabled,
        @NotBlank String redisHost,
        @Min(1) @Max(65535) int redisPort,
        @Min(0) @Max(15) int redisDb,
        String redisPassword,
        @NotNull Duration flightLease) {

    @Override
    public String toString() {
        return "CacheSettings[ttl=" + ttl + ", maxSize=" + maxSize + ", redisEnabled=" + redisEnabled + ", redis="
                + redisHost + ":" + redisPort + "/" + redisDb + ", password=" + (redisPassword == null || redisPassword.isEmpty() ? "(none)" : "****")
                + ", flightLease=" + flightLease + "]";
    }
}
