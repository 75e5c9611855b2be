package dev.genpipe.worker.pool;

import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.pool.WorkerStatus;
import dev.genpipe.common.pool.CacheStatus;
import dev.genpipe.worker.breaker.GeminiBreaker;
import dev.genpipe.worker.breaker.GeminiBreakers;
import dev.genpipe.common.pool.ModelBreaker;
import dev.genpipe.worker.cache.CacheStats;
import dev.genpipe.worker.cache.ResultCache;
import dev.genpipe.worker.gemini.GeminiSettings;
import dev.genpipe.worker.processing.Consumption;
import dev.genpipe.worker.processing.WorkerSettings;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Publishes this worker's {@link WorkerStatus} on every breaker transition and every heartbeat: the primary model's
 * breaker in the fields every API version reads, and each model's breaker in {@code breakers}.
 */
@Component
class WorkerStatusPublisher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WorkerStatusPublisher.class);

    private final KafkaTemplate<String, Object> kafka;
    private final GeminiBreakers breakers;
    private final Consumption consumption;
    private final WorkerSettings worker;
    private final PoolSettings settings;
    private final ResultCache cache;
    private final GeminiSettings gemini;
    private ScheduledExecutorService timer;

    WorkerStatusPublisher(KafkaTemplate<String, Object> kafka, GeminiBreakers breakers, Consumption consumption,
                          WorkerSettings worker, PoolSettings settings, ResultCache cache, GeminiSettings gemini) {
        this.cache = cache;
        this.gemini = gemini;
        this.kafka = kafka;
        this.breakers = breakers;
        this.consumption = consumption;
        this.worker = worker;
        this.settings = settings;
        breakers.onTransition(this::publish);
    }

    void publish() {
        CacheStats c = cache.stats();
        GeminiBreaker breaker = breakers.primary();
        WorkerStatus status = new WorkerStatus(worker.id(), Instant.now(), settings.heartbeat(), breaker.state().name(),
                breaker.since(), breaker.failureRate(), consumption.isPaused(), consumption.pausedTotal(),
                consumption.inFlight(), consumption.maxInFlight(),
                new CacheStatus(c.type(), c.connected(), c.host(), c.hits(), c.misses(), c.size()),
                gemini.usesStandIn() ? "offline-stand-in" : "gemini-api", gemini.model(), breaker.failedCalls(),
                breakers.all().stream().map(b -> new ModelBreaker(b.model(), b.state().name(), b.since(),
                        b.failureRate(), b.failedCalls())).toList());
        kafka.send(Topics.WORKER_STATUS, worker.id(), status).whenComplete((r, e) -> {
            if (e != null) {
                log.debug("worker status not published: {}", e.toString());
            }
        });
    }

    @Override
    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("worker-status").daemon().factory());
        long period = settings.heartbeat().toMillis();
        timer.scheduleAtFixedRate(this::publishQuietly, 0, period, TimeUnit.MILLISECONDS);
    }

    private void publishQuietly() {
        try {
            publish();
        } catch (RuntimeException e) {
            log.debug("worker status not published: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
