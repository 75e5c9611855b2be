package dev.genpipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.SubtopicsInput;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.worker.cache.ResultCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.redisson.api.RType;
import org.redisson.api.RedissonClient;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * What the result path costs Redis, counted on the real redis-server with MONITOR, and a single-flight leader whose
 * Gemini call outlives its lease many times over.
 */
class RedisRoundTripsTest {

    /** Not the result path: connection upkeep, the background size count, and this test's own look-ups. */
    private static final Set<String> NOT_THE_RESULT_PATH = Set.of(
            "ping", "scan", "info", "client", "select", "hello", "command", "type");
    private static final Duration LEASE = Duration.ofMillis(600);

    private static WorkerTestStack stack;
    private static RedisMonitor monitor;
    private static final AtomicInteger submitted = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        stack = WorkerTestStack.start("worker-a", "genpipe.cache.flight-lease=" + LEASE.toMillis() + "ms");
        monitor = new RedisMonitor(stack.redis.host(), stack.redis.port());
        ResultCache cache = stack.worker.getBean(ResultCache.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.stats().type().equals("redis"));
    }

    @AfterAll
    static void stop() {
        WorkerTestStack.closeAll(java.util.Arrays.asList(stack, monitor));
    }

    @Test
    void aUniqueJobCostsFourRoundTripsAndACacheHitThree() {
        uniqueJob("Warm-up " + UUID.randomUUID()); // the scripts are loaded, the connections open

        String topic = "Budget " + UUID.randomUUID();
        int before = monitor.mark();
        uniqueJob(topic);
        List<String> unique = monitor.sentSince(before, NOT_THE_RESULT_PATH);

        int beforeHit = monitor.mark();
        double hits = completed(stack.worker, "true");
        submit(topic);
        await().atMost(Duration.ofSeconds(30)).until(() -> completed(stack.worker, "true") > hits);
        settled();
        List<String> hit = monitor.sentSince(beforeHit, NOT_THE_RESULT_PATH);

        System.out.printf("Redis round trips: unique job %d %s; cache hit %d %s%n", unique.size(),
                names(unique), hit.size(), names(hit));
        assertThat(unique).as("lookup + lead, store + release, the ending's claim and its done")
                .hasSizeLessThanOrEqualTo(4);
        assertThat(hit).as("lookup, the ending's claim and its done").hasSizeLessThanOrEqualTo(3);
        assertThat(stack.gemini.received()).filteredOn(c -> c.prompt().contains(topic)).hasSize(1);
    }

    @Test
    void aLeaderWhoseCallOutlivesItsLeaseKeepsTheLead() {
        // a second worker in a consumer group of its own: it processes every job too, so it follows worker-a's
        // leader (or leads itself) for each of them, across workers through Redis
        try (ConfigurableApplicationContext other = stack.startWorker("worker-b",
                "genpipe.cache.flight-lease=" + LEASE.toMillis() + "ms", "spring.kafka.consumer.group-id=other-group")) {
            // warm-up: either worker may lead it, the other follows (so neither count of uncached jobs is certain)
            double warmA = completed(stack.worker, null);
            double warmB = completed(other, null);
            submit("Warm-up " + UUID.randomUUID());
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> completed(stack.worker, null) > warmA && completed(other, null) > warmB);

            String topic = "Long call " + UUID.randomUUID() + " [[standin:latency=" + LEASE.multipliedBy(5).toMillis() + "]]";
            double a = completed(stack.worker, null);
            double b = completed(other, null);
            submit(topic);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> completed(stack.worker, null) > a && completed(other, null) > b);

            assertThat(stack.gemini.received()).as("one call though it outlived its lease five times")
                    .filteredOn(c -> c.prompt().contains(topic)).hasSize(1);
        }
    }

    /** Submits a job nobody asked before and waits until it is done and its result is in Redis. */
    private static void uniqueJob(String topic) {
        double done = completed(stack.worker, "false");
        submit(topic);
        await().atMost(Duration.ofSeconds(30)).until(() -> completed(stack.worker, "false") > done);
        String key = "genpipe:result:" + ResultCache.key(new SubtopicsInput(topic), model(), "v1");
        await().atMost(Duration.ofSeconds(10)).until(() -> redisson().getKeys().getType(key) == RType.OBJECT);
        settled();
    }

    /** Everything Redis executed so far is in the monitor's lines: they come in the order Redis executed them. */
    private static void settled() {
        String marker = "genpipe:marker:" + UUID.randomUUID();
        redisson().getKeys().getType(marker);
        await().atMost(Duration.ofSeconds(10)).until(() -> monitor.saw(marker));
    }

    private static void submit(String topic) {
        JobRequested request = new JobRequested(JobId.random(), new SubtopicsInput(topic), Instant.now());
        try {
            stack.producer.send(new ProducerRecord<>(Topics.JOBS, request.fingerprint(), request)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        submitted.incrementAndGet();
    }

    /** Jobs the worker completed (published their terminal event), served from cache or not (null: either). */
    private static double completed(ConfigurableApplicationContext worker, String cached) {
        var search = worker.getBean(MeterRegistry.class).find("genpipe.jobs.completed");
        if (cached != null) {
            search = search.tag("cached", cached);
        }
        return search.counters().stream().mapToDouble(Counter::count).sum();
    }

    private static List<String> names(List<String> commands) {
        return commands.stream().map(c -> c.length() > 60 ? c.substring(0, 60) + "…" : c).toList();
    }

    private static RedissonClient redisson() {
        return stack.worker.getBean(RedissonClient.class);
    }

    private static String model() {
        return stack.worker.getEnvironment().getProperty("genpipe.gemini.model", "gemini-2.5-flash");
    }
}
