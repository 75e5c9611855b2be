package dev.genpipe.worker.processing;

import dev.genpipe.common.event.JobFailed;
import dev.genpipe.common.event.JobRequeued;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.job.FieldViolation;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.worker.cache.CachedResult;
import dev.genpipe.worker.cache.ResultCache;
import dev.genpipe.worker.gemini.GeminiFailure;
import dev.genpipe.worker.gemini.GeminiGateway;
import dev.genpipe.worker.gemini.Generation;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Processes one {@code genpipe.jobs} record on its own virtual thread: RUNNING, cache lookup, Gemini on a miss
 * (retrying retryable failures with exponential back-off and full jitter), then SUCCEEDED or FAILED. Returns only
 * once the terminal event is in Kafka, so the offset may then be committed.
 */
@Component
class JobHandler {

    private static final Logger log = LoggerFactory.getLogger(JobHandler.class);
    private static final JsonSerde<JobRequested> REQUESTS = JsonSerde.of(JobRequested.class);

    private final GeminiGateway gemini;
    private final ResultCache cache;
    private final JobEvents events;
    private final DeadLetters deadLetters;
    private final WorkerSettings settings;
    private final MeterRegistry meters;

    JobHandler(GeminiGateway gemini, ResultCache cache, JobEvents events, DeadLetters deadLetters,
               WorkerSettings settings, MeterRegistry meters) {
        this.gemini = gemini;
        this.cache = cache;
        this.events = events;
        this.deadLetters = deadLetters;
        this.settings = settings;
        this.meters = meters;
    }

    /** @return true when the record is finished for good; false when the worker is stopping and it must be re-delivered */
    boolean handle(ConsumerRecord<String, byte[]> record, StopSignal stop) {
        JobRequested request;
        try {
            request = REQUESTS.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            deadLetters.send(record, record.key(), "poison", e.getMessage());
            return true;
        }
        try (var jobId = MDC.putCloseable("jobId", request.jobId().toString());
             var jobType = MDC.putCloseable("jobType", request.type().name())) {
            return process(request, record, stop);
        } catch (RuntimeException e) {
            log.error("job {} failed unexpectedly", request.jobId(), e);
            deadLetters.send(record, request.jobId().toString(), "internal_error", e.toString());
            return finish(request, "internal_error", "the worker failed unexpectedly; see the worker logs", stop);
        }
    }

    private boolean process(JobRequested request, ConsumerRecord<String, byte[]> record, StopSignal stop) {
        JobId id = request.jobId();
        List<FieldViolation> violations = request.input().violations();
        if (!violations.isEmpty()) {
            return finish(request, "invalid_request", violations.stream()
                    .map(v -> v.field() + " " + v.message()).collect(Collectors.joining("; ")), stop);
        }
        events.publish(new JobStarted(id, Instant.now(), settings.id()));
        String key = ResultCache.key(request.input(), gemini.model(), gemini.promptVersion());
        Optional<CachedResult> hit = cache.find(key);
        if (hit.isPresent()) {
            CachedResult cached = hit.get();
            log.info("job {} served from cache", id);
            return succeed(request, new JobSucceeded(id, Instant.now(), cached.result(), true, cached.usage(),
                    cached.model()), stop);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Generation generation = call(request);
                cache.store(key, new CachedResult(generation.result(), generation.usage(), generation.model()));
                return succeed(request, new JobSucceeded(id, Instant.now(), generation.result(), false,
                        generation.usage(), generation.model()), stop);
            } catch (GeminiFailure failure) {
                if (!failure.retryable()) {
                    log.info("job {} failed without retry ({}): {}", id, failure.code(), failure.getMessage());
                    return finish(request, failure.code(), failure.getMessage(), stop);
                }
                if (attempt >= settings.maxAttempts()) {
                    String reason = "gave up after " + attempt + " attempts; last error: " + failure.getMessage();
                    deadLetters.send(record, id.toString(), "retries_exhausted", reason);
                    return finish(request, "retries_exhausted", reason, stop);
                }
                Duration wait = backoff(attempt, failure.retryAfter());
                log.info("job {} attempt {} failed ({}), retrying in {} ms", id, attempt, failure.code(), wait.toMillis());
                events.publish(new JobRequeued(id, Instant.now(), "attempt " + attempt + " failed (" + failure.code()
                        + "); retrying in " + wait.toMillis() + " ms"));
                if (!stop.sleep(wait)) {
                    return false;
                }
                events.publish(new JobStarted(id, Instant.now(), settings.id()));
            }
        }
    }

    private Generation call(JobRequested request) {
        Timer.Sample sample = Timer.start(meters);
        String outcome = "success";
        try {
            Generation generation = gemini.generate(request.input());
            meters.counter("genpipe.gemini.tokens", "model", generation.model(), "direction", "input")
                    .increment(generation.usage().inputTokens());
            meters.counter("genpipe.gemini.tokens", "model", generation.model(), "direction", "output")
                    .increment(generation.usage().outputTokens());
            return generation;
        } catch (GeminiFailure failure) {
            outcome = failure.code();
            throw failure;
        } finally {
            sample.stop(meters.timer("genpipe.gemini.calls", "model", gemini.model(), "outcome", outcome));
        }
    }

    /** Exponential back-off with full jitter, but never shorter than the provider's own retry delay. */
    Duration backoff(int attempt, Optional<Duration> providerDelay) {
        long cap = Math.min(settings.retryMaxDelay().toMillis(),
                settings.retryBaseDelay().toMillis() * (1L << Math.min(attempt - 1, 20)));
        long jittered = ThreadLocalRandom.current().nextLong(cap + 1);
        long floor = providerDelay.map(Duration::toMillis).orElse(0L);
        return Duration.ofMillis(Math.max(jittered, floor));
    }

    private boolean succeed(JobRequested request, JobSucceeded event, StopSignal stop) {
        boolean published = events.publishAndWait(event, stop);
        if (published) {
            meters.counter("genpipe.jobs.completed", "type", request.type().name(), "outcome", "succeeded",
                    "cached", String.valueOf(event.cached())).increment();
        }
        return published;
    }

    private boolean finish(JobRequested request, String code, String reason, StopSignal stop) {
        boolean published = events.publishAndWait(new JobFailed(request.jobId(), Instant.now(), code, reason), stop);
        if (published) {
            meters.counter("genpipe.jobs.completed", "type", request.type().name(), "outcome", "failed",
                    "cached", "false").increment();
        }
        return published;
    }
}
