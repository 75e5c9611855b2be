package dev.genpipe.common.pool;

/**
 * A worker's result cache as it reports it.
 *
 * @param type      {@code redis}, or {@code in-memory} while Redis is unreachable (or disabled)
 * @param connected whether Redis answers
 * @param host      Redis host:port (never a password)
 * @param size      entries in the store that serves now
 */
public record CacheStatus(String type, boolean connected, String host, long hits, long misses, long size) {

    public double hitRatio() {
        long total = hits + misses;
        return total == 0 ? 0 : (double) hits / total;
    }
}
