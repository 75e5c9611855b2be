package dev.genpipe.api.health;

import dev.genpipe.common.pool.CacheStatus;
import dev.genpipe.common.pool.WorkerStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The workers' result cache as one: {@code /api/health} component {@code cache} and {@code /api/metrics} {@code cache}.
 *
 * @param status    {@code degraded} when a live worker serves from memory because Redis does not answer;
 *                  {@code unknown} when no live worker reports its cache
 * @param type      what most workers use: {@code redis} or {@code in-memory} ({@code unknown} without reports)
 * @param connected whether every reporting worker reaches Redis (null without reports)
 * @param host      the Redis host:port most workers use (never a password)
 * @param hits      hits of all live workers since they started
 * @param size      entries: the shared Redis map counted once, plus each worker's in-memory fallback
 */
record CacheSummary(Level status, String type, Boolean connected, String host, long hits, long misses,
                    double hitRatio, long size) {

    static final String REDIS = "redis";

    static CacheSummary of(List<WorkerStatus> liveWorkers) {
        List<CacheStatus> caches = liveWorkers.stream().map(WorkerStatus::cache).filter(Objects::nonNull).toList();
        if (caches.isEmpty()) {
            return new CacheSummary(Level.UNKNOWN, "unknown", null, null, 0, 0, 0, 0);
        }
        boolean connected = caches.stream().allMatch(CacheStatus::connected);
        long hits = caches.stream().mapToLong(CacheStatus::hits).sum();
        long misses = caches.stream().mapToLong(CacheStatus::misses).sum();
        // every worker on Redis reports the size of the same shared map: count it once
        long redisSize = caches.stream().filter(c -> REDIS.equals(c.type())).mapToLong(CacheStatus::size).max()
                .orElse(0);
        long memorySize = caches.stream().filter(c -> !REDIS.equals(c.type())).mapToLong(CacheStatus::size).sum();
        // a worker without Redis by configuration (REDIS_ENABLED=false) serves from memory as intended: not degraded
        boolean degraded = caches.stream().anyMatch(CacheStatus::degraded);
        return new CacheSummary(degraded ? Level.DEGRADED : Level.HEALTHY,
                majority(caches, CacheStatus::type, "unknown"), connected, majority(caches, CacheStatus::host, null),
                hits, misses, ratio(hits, misses), redisSize + memorySize);
    }

    /** The most frequent non-null value; ties go to the alphabetically first, so every API instance says the same. */
    static <T> String majority(List<T> items, Function<T, String> value, String none) {
        Map<String, Long> counts = items.stream().map(value).filter(Objects::nonNull)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        return counts.entrySet().stream()
                .min(Comparator.comparing(Map.Entry<String, Long>::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).orElse(none);
    }

    private static double ratio(long hits, long misses) {
        long total = hits + misses;
        return total == 0 ? 0 : Math.round(10_000.0 * hits / total) / 10_000.0;
    }
}
