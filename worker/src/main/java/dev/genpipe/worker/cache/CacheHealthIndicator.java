package dev.genpipe.worker.cache;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code /actuator/health} component {@code cache}: UP on Redis, DEGRADED on the in-memory fallback (jobs still
 * complete; identical requests across workers are no longer shared). Not part of liveness or readiness.
 */
@Component("cache")
class CacheHealthIndicator implements HealthIndicator {

    static final Status DEGRADED = new Status("DEGRADED", "Redis unreachable: results are cached in memory");

    private final ResultCache cache;
    private final RedisHealth redis;

    CacheHealthIndicator(ResultCache cache, RedisHealth redis) {
        this.cache = cache;
        this.redis = redis;
    }

    @Override
    public Health health() {
        CacheStats stats = cache.stats();
        Health.Builder health = redis.enabled() && !stats.connected() ? Health.status(DEGRADED) : Health.up();
        return health.withDetail("type", stats.type())
                .withDetail("connected", stats.connected())
                .withDetail("host", stats.host())
                .withDetail("hits", stats.hits())
                .withDetail("misses", stats.misses())
                .withDetail("hitRatio", stats.hitRatio())
                .withDetail("size", stats.size())
                .build();
    }
}
