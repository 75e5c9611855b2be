package dev.genpipe.worker.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.devstack.LocalRedis;
import dev.genpipe.worker.cache.RedisHealth;
import dev.genpipe.worker.cache.RedisHealthAccess;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/** The shared Gemini budgets against a real redis-server. */
class SharedLimitsTest {

    private static LocalRedis redis;
    private static RedissonClient client;
    private static RedisHealth health;

    @BeforeAll
    static void start() {
        redis = LocalRedis.start();
        Config config = new Config();
        config.useSingleServer().setAddress("redis://" + redis.host() + ":" + redis.port());
        client = Redisson.create(config);
        health = RedisHealthAccess.create(client);
        await().atMost(Duration.ofSeconds(10)).until(health::up);
    }

    @AfterAll
    static void stop() {
        if (health != null) {
            health.destroy();
        }
        if (client != null) {
            client.shutdown();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void reservesTokenEstimatesAndRefundsWhatACallDidNotUse() {
        SharedLimits limits = limits(0, 250, uniqueWindow());

        var first = limits.tryReserve(100);
        var second = limits.tryReserve(100);
        assertThat(first).isPresent();
        assertThat(second).isPresent();
        assertThat(limits.tryReserve(100)).as("300 > 250 tokens").isEmpty();

        limits.settle(first.get(), 10); // it cost 10, not 100
        assertThat(limits.tryReserve(100)).as("90 tokens refunded").isPresent();
    }

    @Test
    void countsRequestsAcrossEveryLimiterSharingRedis() {
        Duration window = uniqueWindow();
        SharedLimits workerA = limits(3, 0, window);
        SharedLimits workerB = limits(3, 0, window);

        assertThat(workerA.tryReserve(1)).isPresent();
        assertThat(workerB.tryReserve(1)).isPresent();
        assertThat(workerA.tryReserve(1)).isPresent();
        assertThat(workerB.tryReserve(1)).as("the fourth request of the window, from any worker").isEmpty();
        assertThat(workerB.untilNextWindow()).isPositive().isLessThanOrEqualTo(window.plusMillis(1));
    }

    /** Ten minutes and a bit: a window size of its own keeps each test's counters apart. */
    private static Duration uniqueWindow() {
        return Duration.ofMinutes(10).plusMillis(System.nanoTime() % 100_000);
    }

    private static SharedLimits limits(long requests, long tokens, Duration window) {
        return new SharedLimits(Optional.of(client), health, new LimitSettings(requests, tokens, window),
                new SimpleMeterRegistry());
    }
}
