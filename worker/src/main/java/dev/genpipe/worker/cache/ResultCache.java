package dev.genpipe.worker.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.genpipe.common.job.Fingerprints;
import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.kafka.GenPipeJson;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.redisson.api.EvictionMode;
import org.redisson.api.RMapCache;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Results keyed by job type + normalized input + model + prompt version, with a TTL ({@code CACHE_TTL}) and a size
 * bound ({@code CACHE_MAX_SIZE}, least recently used out first): in Redis (a Redisson {@code RMapCache} shared by all
 * workers) while Redis answers, in a bounded in-memory cache of this worker (same TTL and bound) while it does not.
 * The cache is an optimisation only: no job fails or waits because of Redis.
 */
@Component
public class ResultCache {

    private static final Logger log = LoggerFactory.getLogger(ResultCache.class);
    static final String MAP = "genpipe:results";
    static final String PREFIX = "v1:";

    private final Optional<RedissonClient> redis;
    private final RedisHealth health;
    private final CacheSettings settings;
    private final Cache<String, String> memory;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final MeterRegistry meters;

    ResultCache(Optional<RedissonClient> redis, RedisHealth health, CacheSettings settings, MeterRegistry meters) {
        this.redis = redis;
        this.health = health;
        this.settings = settings;
        this.meters = meters;
        this.memory = Caffeine.newBuilder()
                .maximumSize(settings.maxSize())
                .expireAfterWrite(settings.ttl().toMillis(), TimeUnit.MILLISECONDS)
                .build();
        health.onUp(() -> map().setMaxSize(settings.maxSize(), EvictionMode.LRU));
        Gauge.builder("genpipe.cache.size", this, c -> c.stats().size()).register(meters);
        Gauge.builder("genpipe.cache.redis.connected", health, h -> h.up() ? 1 : 0).register(meters);
    }

    public static String key(JobInput input, String model, String promptVersion) {
        return PREFIX + Fingerprints.sha256(input.type() + "|" + input.normalized() + "|" + model + "|" + promptVersion);
    }

    public Optional<CachedResult> find(String key) {
        String json = null;
        String type = type();
        if (health.up()) {
            try {
                json = map().get(key);
            } catch (RuntimeException e) {
                health.failed(e);
                type = "in-memory";
                json = memory.getIfPresent(key);
            }
        } else {
            json = memory.getIfPresent(key);
        }
        meters.counter("genpipe.cache.requests", "result", json == null ? "miss" : "hit", "type", type).increment();
        (json == null ? misses : hits).incrementAndGet();
        return Optional.ofNullable(json).map(j -> GenPipeJson.mapper().readValue(j, CachedResult.class));
    }

    /** Looks without counting a hit or miss (single-flight followers watching for their leader's result). */
    Optional<CachedResult> peek(String key) {
        String json;
        try {
            json = health.up() ? map().get(key) : memory.getIfPresent(key);
        } catch (RuntimeException e) {
            health.failed(e);
            json = memory.getIfPresent(key);
        }
        return Optional.ofNullable(json).map(j -> GenPipeJson.mapper().readValue(j, CachedResult.class));
    }

    /** Stores a result: in Redis while it answers, else in this worker's memory. */
    public void store(String key, CachedResult value) {
        String json = GenPipeJson.mapper().writeValueAsString(value);
        if (health.up()) {
            try {
                map().fastPut(key, json, settings.ttl().toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (RuntimeException e) {
                health.failed(e);
            }
        }
        memory.put(key, json);
    }

    /** Removes every cached result, from Redis and from this worker's memory. @return entries removed from Redis */
    public long clear() {
        memory.invalidateAll();
        if (!health.up()) {
            return 0;
        }
        try {
            RMapCache<String, String> map = map();
            long size = map.size();
            map.clear();
            log.info("result cache cleared ({} entries in Redis)", size);
            return size;
        } catch (RuntimeException e) {
            health.failed(e);
            return 0;
        }
    }

    public CacheStats stats() {
        boolean redisUp = health.up();
        long size = memory.estimatedSize();
        if (redisUp) {
            try {
                size = map().size();
            } catch (RuntimeException e) {
                health.failed(e);
                redisUp = false;
            }
        }
        return new CacheStats(redisUp ? "redis" : "in-memory", redisUp,
                health.enabled() ? settings.redisHost() + ":" + settings.redisPort() : "(Redis disabled)",
                hits.get(), misses.get(), size);
    }

    private String type() {
        return health.up() ? "redis" : "in-memory";
    }

    private RMapCache<String, String> map() {
        return redis.orElseThrow().getMapCache(MAP, StringCodec.INSTANCE);
    }
}
