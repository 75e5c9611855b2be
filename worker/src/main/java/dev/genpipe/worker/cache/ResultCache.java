package dev.genpipe.worker.cache;

import dev.genpipe.common.job.Fingerprints;
import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.kafka.GenPipeJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Results in Redis (Redisson), keyed by job type + normalized input + model + prompt version, with a TTL. The
 * cache is an optimisation only: when Redis fails, a lookup is a miss and a store is skipped; no job fails for it.
 */
@Component
public class ResultCache {

    private static final Logger log = LoggerFactory.getLogger(ResultCache.class);
    static final String PREFIX = "genpipe:result:";

    private final Optional<RedissonClient> redis;
    private final CacheSettings settings;
    private final Counter hits;
    private final Counter misses;
    private final Counter errors;

    ResultCache(Optional<RedissonClient> redis, CacheSettings settings, MeterRegistry meters) {
        this.redis = redis;
        this.settings = settings;
        this.hits = meters.counter("genpipe.cache.requests", "result", "hit");
        this.misses = meters.counter("genpipe.cache.requests", "result", "miss");
        this.errors = meters.counter("genpipe.cache.errors");
    }

    public static String key(JobInput input, String model, String promptVersion) {
        return PREFIX + Fingerprints.sha256(input.type() + "|" + input.normalized() + "|" + model + "|" + promptVersion);
    }

    public Optional<CachedResult> find(String key) {
        if (redis.isEmpty()) {
            misses.increment();
            return Optional.empty();
        }
        try {
            String json = bucket(key).get();
            if (json == null) {
                misses.increment();
                return Optional.empty();
            }
            hits.increment();
            return Optional.of(GenPipeJson.mapper().readValue(json, CachedResult.class));
        } catch (RuntimeException e) {
            errors.increment();
            misses.increment();
            log.warn("cache lookup failed, treating as a miss: {}", e.toString());
            return Optional.empty();
        }
    }

    public void store(String key, CachedResult value) {
        if (redis.isEmpty()) {
            return;
        }
        try {
            bucket(key).set(GenPipeJson.mapper().writeValueAsString(value), settings.ttl());
        } catch (RuntimeException e) {
            errors.increment();
            log.warn("cache store failed, result not cached: {}", e.toString());
        }
    }

    /** Removes every cached result from Redis. @return how many entries were removed, -1 when Redis failed */
    public long clear() {
        if (redis.isEmpty()) {
            return 0;
        }
        try {
            long removed = redis.get().getKeys().deleteByPattern(PREFIX + "*");
            log.info("result cache cleared: {} entries removed", removed);
            return removed;
        } catch (RuntimeException e) {
            errors.increment();
            log.warn("cache clear failed: {}", e.toString());
            return -1;
        }
    }

    private RBucket<String> bucket(String key) {
        return redis.orElseThrow().getBucket(key, StringCodec.INSTANCE);
    }
}
