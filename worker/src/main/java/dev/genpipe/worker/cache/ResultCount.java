package dev.genpipe.worker.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many results Redis holds: a SCAN over {@code genpipe:result:*} on a virtual thread of its own, started by a
 * reader at most every {@link #REFRESH}; readers get the last count meanwhile (0 before the first). So reading the
 * size (heartbeats, health, metrics) never waits for Redis and costs Redis at most one scan per interval.
 */
final class ResultCount {

    static final Duration REFRESH = Duration.ofSeconds(5);

    private final RedisResults redis;
    private final RedisHealth health;
    private final AtomicBoolean counting = new AtomicBoolean();
    private final AtomicLong nextCount = new AtomicLong(System.nanoTime());
    private volatile long last;

    ResultCount(RedisResults redis, RedisHealth health) {
        this.redis = redis;
        this.health = health;
    }

    long get() {
        long now = System.nanoTime();
        long due = nextCount.get();
        if (now - due >= 0 && nextCount.compareAndSet(due, now + REFRESH.toNanos()) && counting.compareAndSet(false, true)) {
            Thread.ofVirtual().name("cache-count").start(this::count);
        }
        return last;
    }

    /** The cache was just emptied: 0 until the next count, which the next reader starts. */
    void cleared() {
        last = 0;
        nextCount.set(System.nanoTime());
    }

    private void count() {
        try {
            last = redis.count();
        } catch (RuntimeException e) {
            health.failed(e);
        } finally {
            counting.set(false);
        }
    }
}
