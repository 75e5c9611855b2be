package dev.genpipe.common.pool;

/**
 * A worker's result cache as it reports it.
 *
 * @param type      {@code redis}, or {@code in-memory} while Redis is unreachable (or disabled)
 * @param connected whether Redis answers
 * @param host      Redis host:port (never a password), or {@link #REDIS_DISABLED}
 * @param size      entries in the store that serves now
 */
public record CacheStatus(String type, boolean connected, String host, long hits, long misses, long size) {

    /** The host a worker reports when it runs with {@code REDIS_ENABLED=false}: its in-memory cache by choice. */
    public static final String REDIS_DISABLED = "(Redis disabled)";

    /** Redis is configured but does not answer: the worker serves from memory meanwhile. */
    public boolean degraded() {
        return !connected && !REDIS_DISABLED.equals(host);
    }

    public double hitRatio() {
        long total = hits + misses;
        return total == 0 ? 0 : (double) hits / total;
    }
}
