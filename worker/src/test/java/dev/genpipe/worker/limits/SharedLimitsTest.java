package dev.genpipe.worker.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.worker.cache.RedisHealth;
import dev.genpipe.worker.cache.RedisClientFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;

/** The shared Gemini budgets against a real redis-server. */
class SharedLimitsTest {

    private static RedisClientFixture fixture;
    private static RedissonClient client;
    private static RedisHealth health;

    @BeforeAll
    static void start() {
        fixture = RedisClientFixture.start();
        client = fixture.client;
        health = fixture.health;
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @BeforeEach
    void emptyBudgets() {
        client.getKeys().delete(SharedLimits.REQUESTS, SharedLimits.TOKENS);
    }

    @Test
    void reservesTokenEstimatesAndCountsOnlyWhatACallReallyUsed() {
        SharedLimits limits = limits(0, 250);

        var first = limits.tryReserve(100).reservation();
        assertThat(first).isPresent();
        assertThat(limits.tryReserve(100).reservation()).isPresent();
        SharedLimits.Decision refused = limits.tryReserve(100);
        assertThat(refused.reservation()).as("300 > 250 tokens").isEmpty();
        assertThat(refused.retryIn()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(10));

        limits.settle(first.get(), 10); // it cost 10, not 100
        assertThat(limits.tryReserve(100).reservation()).as("90 tokens given back").isPresent();
    }

    @Test
    void countsRequestsOfEveryWorkerSharingRedis() {
        SharedLimits workerA = limits(3, 0);
        SharedLimits workerB = limits(3, 0);

        assertThat(workerA.tryReserve(1).reservation()).isPresent();
        assertThat(workerB.tryReserve(1).reservation()).isPresent();
        assertThat(workerA.tryReserve(1).reservation()).isPresent();
        assertThat(workerB.tryReserve(1).reservation()).as("the fourth request of the window, from any worker")
                .isEmpty();
    }

    @Test
    void aRefusedTokenReservationGivesItsRequestBack() {
        SharedLimits limits = limits(2, 100);

        assertThat(limits.tryReserve(80).reservation()).isPresent();
        assertThat(limits.tryReserve(80).reservation()).as("tokens refused").isEmpty();
        assertThat(limits.tryReserve(10).reservation()).as("the refused call did not use up a request").isPresent();
    }

    private static SharedLimits limits(long requests, long tokens) {
        return new SharedLimits(Optional.of(client), health,
                new LimitSettings(requests, tokens, Duration.ofMinutes(10)), new SimpleMeterRegistry());
    }
}
