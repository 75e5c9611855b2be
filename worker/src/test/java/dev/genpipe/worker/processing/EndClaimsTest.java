package dev.genpipe.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.common.job.JobId;
import dev.genpipe.worker.cache.RedisHealth;
import dev.genpipe.worker.cache.RedisClientFixture;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/** Overlapping runs of one job write its ending once, against a real redis-server (two workers' claims). */
class EndClaimsTest {

    private static final Duration LEASE = Duration.ofMillis(600);
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

    @Test
    void aSecondRunWaitsForTheFirstRunsWriteAndWritesNothing() throws Exception {
        EndClaims first = claims("worker-1");
        SimpleMeterRegistry secondMeters = new SimpleMeterRegistry();
        EndClaims second = new EndClaims(Optional.of(client), health, settings("worker-2"), secondMeters);
        JobId job = JobId.random();
        AtomicInteger writes = new AtomicInteger();
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch kafkaAcks = new CountDownLatch(1);
        // the first run's write waits for Kafka (a broker outage) for longer than the lease: its claim is renewed
        CompletableFuture<Boolean> firstRun = CompletableFuture.supplyAsync(() -> first.once(job, new StopSignal(),
                () -> {
                    writes.incrementAndGet();
                    writing.countDown();
                    return acked(kafkaAcks);
                }));
        assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> secondRun = CompletableFuture.supplyAsync(() -> second.once(job, new StopSignal(),
                () -> writes.incrementAndGet() > 0));
        Thread.sleep(LEASE.multipliedBy(3).toMillis());
        assertThat(secondRun).as("the second run waits while the first one's write is under way").isNotDone();

        kafkaAcks.countDown();
        assertThat(firstRun.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(secondRun.get(10, TimeUnit.SECONDS)).as("the job counts as finished for the second run").isTrue();
        assertThat(writes).as("the ending was written once").hasValue(1);
        assertThat(secondMeters.counter("genpipe.worker.endings.skipped").count()).isEqualTo(1.0);

        AtomicInteger later = new AtomicInteger();
        assertThat(claims("worker-3").once(job, new StopSignal(), () -> later.incrementAndGet() > 0)).isTrue();
        assertThat(later).as("a run after the ending was written writes nothing").hasValue(0);
    }

    @Test
    void aClaimOfARunThatDiedLapsesAndTheNextRunWrites() throws Exception {
        JobId job = JobId.random();
        // a run that claimed, then died before Kafka took its write (no renewal, no done)
        client.getBucket(EndClaims.PREFIX + job, StringCodec.INSTANCE).set("worker-1:dead", LEASE);

        AtomicInteger writes = new AtomicInteger();
        java.util.List<String> claimWhileWriting = new java.util.concurrent.CopyOnWriteArrayList<>();
        assertThat(claims("worker-2").once(job, new StopSignal(), () -> {
            claimWhileWriting.add(client.<String>getBucket(EndClaims.PREFIX + job, StringCodec.INSTANCE).get());
            return writes.incrementAndGet() > 0;
        })).isTrue();
        assertThat(writes).hasValue(1);
        assertThat(claimWhileWriting).as("it wrote only once the dead run's claim had lapsed and its own was taken")
                .singleElement().asString().startsWith("worker-2:");
        await().atMost(Duration.ofSeconds(5)).until(
                () -> EndClaims.DONE.equals(client.getBucket(EndClaims.PREFIX + job, StringCodec.INSTANCE).get()));
    }

    @Test
    void aRunThatMustLetGoWhileWaitingReturnsUnfinished() {
        JobId job = JobId.random();
        client.getBucket(EndClaims.PREFIX + job, StringCodec.INSTANCE).set("worker-1:writing", Duration.ofMinutes(1));
        StopSignal stop = new StopSignal();
        CompletableFuture<Boolean> run = CompletableFuture.supplyAsync(
                () -> claims("worker-2").once(job, stop, () -> true));
        stop.stop();
        assertThat(run).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(false);
    }

    @Test
    void withoutRedisEveryRunWrites() {
        EndClaims noRedis = new EndClaims(Optional.empty(), health, settings("worker-1"), new SimpleMeterRegistry());
        JobId job = JobId.random();
        AtomicInteger writes = new AtomicInteger();
        assertThat(noRedis.once(job, new StopSignal(), () -> writes.incrementAndGet() > 0)).isTrue();
        assertThat(noRedis.once(job, new StopSignal(), () -> writes.incrementAndGet() > 0)).isTrue();
        assertThat(writes).as("at least once, as without claims").hasValue(2);
    }

    private static boolean acked(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static EndClaims claims(String worker) {
        return new EndClaims(Optional.of(client), health, settings(worker), new SimpleMeterRegistry());
    }

    private static WorkerSettings settings(String worker) {
        return new WorkerSettings(worker, 8, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(1), 3,
                Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofMillis(200), 0.1, LEASE,
                Duration.ofMinutes(1));
    }
}
