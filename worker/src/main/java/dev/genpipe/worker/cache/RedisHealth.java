package dev.genpipe.worker.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Whether Redis answers. After a failed call the worker stops asking Redis (no job waits on its timeouts) and a
 * probe checks every {@link #PROBE_INTERVAL} until Redis answers again; then the listeners run (the cache is Redis
 * again, without a restart).
 */
@Component
public class RedisHealth implements DisposableBean {

    static final Duration PROBE_INTERVAL = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(RedisHealth.class);

    private final Optional<RedissonClient> redis;
    private final AtomicBoolean up = new AtomicBoolean(false);
    private final List<Runnable> onUp = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService probe = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("redis-probe").daemon().factory());

    RedisHealth(Optional<RedissonClient> redis) {
        this.redis = redis;
        if (redis.isPresent()) {
            probe.scheduleWithFixedDelay(this::check, 0, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    public boolean enabled() {
        return redis.isPresent();
    }

    /** Redis is configured and answered last time it was asked. */
    public boolean up() {
        return up.get();
    }

    /** A Redis call failed: stop using Redis until the probe says it is back. */
    public void failed(RuntimeException e) {
        if (up.compareAndSet(true, false)) {
            log.warn("Redis unreachable ({}); the cache falls back to memory until it answers again", e.toString());
        }
    }

    /** Runs each time Redis becomes reachable (also the first time). */
    void onUp(Runnable listener) {
        onUp.add(listener);
    }

    private void check() {
        if (up.get()) {
            return;
        }
        try {
            redis.orElseThrow().getBucket("genpipe:health", StringCodec.INSTANCE).isExists();
        } catch (RuntimeException e) {
            log.debug("Redis still unreachable: {}", e.toString());
            return;
        }
        try {
            onUp.forEach(Runnable::run);
        } catch (RuntimeException e) {
            log.debug("Redis answered but is not usable yet: {}", e.toString());
            return;
        }
        if (up.compareAndSet(false, true)) {
            log.info("Redis reachable: the result cache is Redis");
        }
    }

    @Override
    public void destroy() {
        probe.shutdownNow();
    }
}
