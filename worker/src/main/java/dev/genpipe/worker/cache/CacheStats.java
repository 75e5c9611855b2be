package dev.genpipe.worker.cache;

/**
 * What the cache looks like now: which store serves it, whether Redis is connected, and its hit figures since start.
 *
 * @param type    {@code redis} or {@code in-memory}
 * @param size    entries in the store that serves now: for Redis the last background count of its result keys (at
 *                most a few seconds old), for the in-memory fallback its estimated size
 */
public record CacheStats(String type, boolean connected, String host, long hits, long misses, long size) {

    public double hitRatio() {
        long total = hits + misses;
        return total == 0 ? 0 : (double) hits / total;
    }
}
