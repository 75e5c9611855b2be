package dev.genpipe.worker.cache;

import dev.genpipe.common.pool.CacheStatus;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.genpipe.common.job.Fingerprints;
import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.kafka.GenPipeJson;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Results keyed by job type + normalized input + model + prompt version, with a TTL ({@code CACHE_TTL}): in Redis
 * (one string key per result, {@code genpipe:result:<key>}, shared by all workers; its size is bounded by Redis's own
 * {@code maxmemory} eviction) while Redis answers, in a bounded in-memory cache of this worker (same TTL,
 * {@code CACHE_MAX_SIZE} entries, least recently used out first) while it does not. The cache is an optimisation
 * only: no job fails or waits because of Redis. Lookups go through {@link SingleFlight#join}, which takes the flight
 * of a missing key in the same round trip.
 */
@Component
public class ResultCache {

    private static final Logger log = LoggerFactory.getLogger(ResultCache.class);
    static final String PREFIX = "v1:";
    private static final String REDIS = "redis";
    private static final String MEMORY = "in-memory";

    /** What a lookup found: a cached result, or on a miss whether the caller leads the key's flight or follows it. */
    enum Outcome { HIT, LEAD, FOLLOW }

    /** @param token the flight key's value when the caller leads through Redis; null when it leads alone (no Redis) */
    record Lookup(Outcome outcome, CachedResult result, String token) {
    }

    /** A follower's look at the cache: the result, or whether the flight it follows has no leader any more. */
    record Watch(CachedResult result, boolean gone) {
    }

    private final RedisResults redis;
    private final RedisHealth health;
    private final CacheSettings settings;
    private final Cache<String, String> memory;
    private final ResultCount count;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final Counter redisHits;
    private final Counter redisMisses;
    private final Counter memoryHits;
    private final Counter memoryMisses;
    private final Counter clears;

    ResultCache(RedisResults redis, RedisHealth health, CacheSettings settings, MeterRegistry meters) {
        this.redis = redis;
        this.health = health;
        this.settings = settings;
        this.count = new ResultCount(redis, health);
        this.memory = Caffeine.newBuilder()
                .maximumSize(settings.maxSize())
                .expireAfterWrite(settings.ttl().toMillis(), TimeUnit.MILLISECONDS)
                .build();
        this.redisHits = requests(meters, "hit", REDIS);
        this.redisMisses = requests(meters, "miss", REDIS);
        this.memoryHits = requests(meters, "hit", MEMORY);
        this.memoryMisses = requests(meters, "miss", MEMORY);
        this.clears = Counter.builder("genpipe.cache.clears").description("cache clears this worker carried out")
                .register(meters);
        Gauge.builder("genpipe.cache.size", this, c -> c.stats().size()).register(meters);
        Gauge.builder("genpipe.cache.redis.connected", health, h -> h.up() ? 1 : 0).register(meters);
    }

    public static String key(JobInput input, String model, String promptVersion) {
        return PREFIX + Fingerprints.sha256(input.type() + "|" + input.normalized() + "|" + model + "|" + promptVersion);
    }

    /**
     * One round trip: the cached result, else the flight of {@code key} for {@code lease} if nobody holds it.
     * Without Redis (or when it fails) the in-memory cache answers and the caller leads alone.
     *
     * @param counted whether it counts as a hit or miss (not when a follower joins again)
     */
    Lookup lookup(String key, String token, Duration lease, boolean counted) {
        if (health.up()) {
            try {
                String answer = redis.join(key, token, lease);
                if (RedisResults.LEADER.equals(answer) || RedisResults.FOLLOWER.equals(answer)) {
                    counted(counted, redisMisses, misses);
                    return RedisResults.LEADER.equals(answer) ? new Lookup(Outcome.LEAD, null, token)
                            : new Lookup(Outcome.FOLLOW, null, null);
                }
                counted(counted, redisHits, hits);
                return new Lookup(Outcome.HIT, decode(answer), null);
            } catch (RuntimeException e) {
                health.failed(e);
            }
        }
        String json = memory.getIfPresent(key);
        if (json == null) {
            counted(counted, memoryMisses, misses);
            return new Lookup(Outcome.LEAD, null, null);
        }
        counted(counted, memoryHits, hits);
        return new Lookup(Outcome.HIT, decode(json), null);
    }

    /** A job that follows a leader of this worker: a miss, found without asking Redis. */
    void missedLocally() {
        counted(true, health.up() ? redisMisses : memoryMisses, misses);
    }

    /** Looks without counting a hit or miss (single-flight followers watching for another worker's leader). */
    Watch watch(String key) {
        if (health.up()) {
            try {
                String answer = redis.watch(key);
                if (RedisResults.LED.equals(answer) || RedisResults.GONE.equals(answer)) {
                    return new Watch(null, RedisResults.GONE.equals(answer));
                }
                return new Watch(decode(answer), false);
            } catch (RuntimeException e) {
                health.failed(e);
            }
        }
        String json = memory.getIfPresent(key); // without Redis nobody else leads
        return new Watch(json == null ? null : decode(json), true);
    }

    /**
     * Stores a result and, in the same round trip, ends the flight held with {@code token} (null: none): in Redis
     * while it answers, else in this worker's memory. Blocks on Redis: never call it on Redisson's threads.
     */
    void store(String key, CachedResult value, String token) {
        String json = GenPipeJson.mapper().writeValueAsString(value);
        if (health.up()) {
            try {
                redis.store(key, json, settings.ttl(), token);
                return;
            } catch (RuntimeException e) {
                health.failed(e);
            }
        }
        memory.put(key, json);
    }

    /** Removes every cached result, from Redis (for all workers) and from this worker's memory. @return entries removed from Redis */
    public long clear() {
        clears.increment();
        memory.invalidateAll();
        if (!health.up()) {
            return 0;
        }
        try {
            long removed = redis.clear();
            count.cleared();
            log.info("result cache cleared ({} entries in Redis)", removed);
            return removed;
        } catch (RuntimeException e) {
            health.failed(e);
            return 0;
        }
    }

    /** Never waits for Redis: the Redis size is the last background count ({@link ResultCount}). */
    public CacheStats stats() {
        boolean redisUp = health.up();
        return new CacheStats(redisUp ? REDIS : MEMORY, redisUp,
                health.enabled() ? settings.redisHost() + ":" + settings.redisPort() : CacheStatus.REDIS_DISABLED,
                hits.get(), misses.get(), redisUp ? count.get() : memory.estimatedSize());
    }

    private static void counted(boolean counted, Counter counter, AtomicLong total) {
        if (counted) {
            counter.increment();
            total.incrementAndGet();
        }
    }

    private static CachedResult decode(String json) {
        return GenPipeJson.mapper().readValue(json, CachedResult.class);
    }

    private static Counter requests(MeterRegistry meters, String result, String type) {
        return Counter.builder("genpipe.cache.requests").tags("result", result, "type", type).register(meters);
    }
}
