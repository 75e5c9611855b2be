package dev.genpipe.worker.limits;

import dev.genpipe.worker.cache.RedisHealth;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.redisson.api.RAtomicLong;
import org.redisson.api.RedissonClient;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Requests-per-window and tokens-per-window budgets for Gemini, shared by all workers: fixed windows counted in
 * Redis ({@code genpipe:limit:<kind>:<window number>}). A call reserves one request and an estimate of its tokens
 * before it goes out and settles the estimate with the real usage afterwards (a refund when it cost less). When a
 * budget is spent, callers wait for the next window; no job fails for it. Without Redis the limits are not enforced
 * (the breaker and Gemini's own 429s still protect the quota).
 */
@Component
@EnableConfigurationProperties(LimitSettings.class)
public class SharedLimits {

    /** A reservation of one call; settle it with the real token usage. */
    public record Reservation(long window, long tokens) {
        static final Reservation NONE = new Reservation(-1, 0);
    }

    private final Optional<RedissonClient> redis;
    private final RedisHealth health;
    private final LimitSettings settings;
    private final MeterRegistry meters;

    SharedLimits(Optional<RedissonClient> redis, RedisHealth health, LimitSettings settings, MeterRegistry meters) {
        this.redis = redis;
        this.health = health;
        this.settings = settings;
        this.meters = meters;
    }

    /**
     * Tries to reserve one call and {@code estimatedTokens}.
     *
     * @return the reservation, or empty with nothing reserved when a budget of the current window is spent (wait
     *         {@link #untilNextWindow()} and try again)
     */
    public Optional<Reservation> tryReserve(long estimatedTokens) {
        if (!settings.anyLimit() || !health.up()) {
            return Optional.of(Reservation.NONE);
        }
        long window = currentWindow();
        try {
            if (settings.requestsPerWindow() > 0 && !take(counter("requests", window), 1, settings.requestsPerWindow())) {
                meters.counter("genpipe.limits.waits", "limit", "requests").increment();
                return Optional.empty();
            }
            if (settings.tokensPerWindow() > 0
                    && !take(counter("tokens", window), estimatedTokens, settings.tokensPerWindow())) {
                if (settings.requestsPerWindow() > 0) {
                    counter("requests", window).addAndGet(-1);
                }
                meters.counter("genpipe.limits.waits", "limit", "tokens").increment();
                return Optional.empty();
            }
            return Optional.of(new Reservation(window, estimatedTokens));
        } catch (RuntimeException e) {
            health.failed(e);
            return Optional.of(Reservation.NONE);
        }
    }

    /** Replaces the estimate by what the call really cost (0 for a call that failed before any tokens were used). */
    public void settle(Reservation reservation, long actualTokens) {
        if (reservation.window() < 0 || settings.tokensPerWindow() <= 0 || !health.up()) {
            return;
        }
        try {
            counter("tokens", reservation.window()).addAndGet(actualTokens - reservation.tokens());
        } catch (RuntimeException e) {
            health.failed(e);
        }
    }

    public Duration untilNextWindow() {
        long windowMillis = settings.window().toMillis();
        long now = System.currentTimeMillis();
        return Duration.ofMillis(windowMillis - now % windowMillis + 1);
    }

    private boolean take(RAtomicLong counter, long amount, long limit) {
        long after = counter.addAndGet(amount);
        if (after == amount) {
            counter.expire(settings.window().multipliedBy(2));
        }
        if (after > limit && after - amount > 0) { // a single call larger than the budget still goes, alone
            counter.addAndGet(-amount);
            return false;
        }
        return true;
    }

    private long currentWindow() {
        return System.currentTimeMillis() / settings.window().toMillis();
    }

    private RAtomicLong counter(String kind, long window) {
        return redis.orElseThrow().getAtomicLong("genpipe:limit:" + kind + ":" + window);
    }

}
