package dev.genpipe.worker.limits;

import dev.genpipe.worker.cache.RedisHealth;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.redisson.api.RScript;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Requests-per-window and tokens-per-window budgets for Gemini, shared by all workers: sliding-window logs in Redis
 * (a sorted set per budget, scored by Redis's own clock, so worker clocks do not matter). In no window of the
 * configured length do the calls (or their tokens) exceed the budget. A call reserves one request and an estimate of
 * its tokens before it goes out and settles the estimate with the real usage afterwards (less used, less counted).
 * When a budget is spent the caller waits until enough of the window has slid by; no job fails for it. Without Redis
 * the budgets are not enforced (the breaker and Gemini's own 429s still protect the quota).
 */
@Component
@EnableConfigurationProperties(LimitSettings.class)
public class SharedLimits {

    static final String REQUESTS = "genpipe:limit:requests";
    static final String TOKENS = "genpipe:limit:tokens";

    /**
     * KEYS[1] the log; ARGV: window ms, limit, reservation id, amount. Members are "id:amount", scored by Redis time in
     * ms. Returns -1 when reserved, otherwise the ms to wait until the oldest entries leave the window.
     */
    private static final String RESERVE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local window = tonumber(ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
            local used = 0
            for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              used = used + tonumber(string.match(m, ':(%d+)$'))
            end
            local amount = tonumber(ARGV[4])
            if used > 0 and used + amount > tonumber(ARGV[2]) then
              local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
              return math.max(1, tonumber(oldest[2]) + window - now)
            end
            redis.call('ZADD', KEYS[1], now, ARGV[3] .. ':' .. ARGV[4])
            redis.call('PEXPIRE', KEYS[1], window)
            return -1
            """;

    /** KEYS[1] the log; ARGV: reservation id, old amount, new amount. Keeps the entry's time, changes its amount. */
    private static final String SETTLE = """
            local old = ARGV[1] .. ':' .. ARGV[2]
            local score = redis.call('ZSCORE', KEYS[1], old)
            if score then
              redis.call('ZREM', KEYS[1], old)
              redis.call('ZADD', KEYS[1], score, ARGV[1] .. ':' .. ARGV[3])
            end
            return 0
            """;

    /** One call's place in the budgets; settle it with the real token usage. */
    public record Reservation(String id, long tokens) {
        static final Reservation NONE = new Reservation(null, 0);
    }

    /** Either a reservation, or how long to wait before trying again. */
    public record Decision(Optional<Reservation> reservation, Duration retryIn) {
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

    /** Tries to reserve one call and {@code estimatedTokens} of the budgets; nothing is reserved when it must wait. */
    public Decision tryReserve(long estimatedTokens) {
        if (!settings.anyLimit() || !health.up()) {
            return new Decision(Optional.of(Reservation.NONE), Duration.ZERO);
        }
        String id = UUID.randomUUID().toString();
        try {
            if (settings.requestsPerWindow() > 0) {
                long wait = reserve(REQUESTS, settings.requestsPerWindow(), id, 1);
                if (wait >= 0) {
                    meters.counter("genpipe.limits.waits", "limit", "requests").increment();
                    return new Decision(Optional.empty(), Duration.ofMillis(wait));
                }
            }
            if (settings.tokensPerWindow() > 0) {
                long wait = reserve(TOKENS, settings.tokensPerWindow(), id, estimatedTokens);
                if (wait >= 0) {
                    if (settings.requestsPerWindow() > 0) {
                        settle(REQUESTS, id, 1, 0); // not used after all
                    }
                    meters.counter("genpipe.limits.waits", "limit", "tokens").increment();
                    return new Decision(Optional.empty(), Duration.ofMillis(wait));
                }
            }
            return new Decision(Optional.of(new Reservation(id, estimatedTokens)), Duration.ZERO);
        } catch (RuntimeException e) {
            health.failed(e);
            return new Decision(Optional.of(Reservation.NONE), Duration.ZERO);
        }
    }

    /** Replaces the estimate by what the call really cost (0 for a call that failed before any tokens were used). */
    public void settle(Reservation reservation, long actualTokens) {
        if (reservation.id() == null || settings.tokensPerWindow() <= 0 || !health.up()) {
            return;
        }
        try {
            settle(TOKENS, reservation.id(), reservation.tokens(), Math.max(0, actualTokens));
        } catch (RuntimeException e) {
            health.failed(e);
        }
    }

    private long reserve(String key, long limit, String id, long amount) {
        Long result = script().eval(RScript.Mode.READ_WRITE, RESERVE, RScript.ReturnType.LONG,
                List.of(key), Long.toString(settings.window().toMillis()), Long.toString(limit), id,
                Long.toString(amount));
        return result;
    }

    private void settle(String key, String id, long oldAmount, long newAmount) {
        script().eval(RScript.Mode.READ_WRITE, SETTLE, RScript.ReturnType.LONG, List.of(key), id,
                Long.toString(oldAmount), Long.toString(newAmount));
    }

    private RScript script() {
        return redis.orElseThrow().getScript(StringCodec.INSTANCE);
    }
}
