package dev.genpipe.worker.processing;

import dev.genpipe.common.event.JobDelta;
import dev.genpipe.common.event.JobFailed;
import dev.genpipe.common.event.JobPlanned;
import dev.genpipe.common.event.JobQueued;
import dev.genpipe.common.event.JobRequeued;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.job.ExplanationInput;
import dev.genpipe.common.job.FieldViolation;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.PresentationInput;
import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.worker.cache.CachedResult;
import dev.genpipe.worker.cache.ResultCache;
import dev.genpipe.worker.cache.SingleFlight;
import dev.genpipe.worker.gemini.GeminiFailure;
import dev.genpipe.worker.gemini.GeminiGateway;
import dev.genpipe.worker.gemini.Generation;
import dev.genpipe.worker.gemini.RateLimitGate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

/**
 * Processes one request record (of either lane) on its own virtual thread: cache lookup, then Gemini calls through the
 * circuit breaker until one gives a result or a final failure. Returns only once the terminal event is in Kafka, so
 * the offset may then be committed.
 *
 * <p>Attempts are honest: a job is RUNNING (and an attempt counted) only while a Gemini call is actually made. A job
 * that waits — for the breaker to close, for a rate limit to pass, for its back-off — is QUEUED. Only failures while
 * the breaker is CLOSED use up the job's retry budget: a rate limit is back-pressure, and a failed probe while
 * HALF_OPEN is the provider's outage, not the job's fault. Waiting ends when the job is older than its maximum age.
 *
 * <p>Identical requests in flight together share one call ({@link SingleFlight}): followers wait QUEUED and complete
 * with the leader's result ({@code cached: true}), or with its final failure.
 *
 * <p>A job's ending (terminal event, or a presentation's plan) is written once across workers ({@link EndClaims}),
 * also when two runs of it overlap.
 */
@Component
class JobHandler {

    private static final Logger log = LoggerFactory.getLogger(JobHandler.class);
    private static final JsonSerde<JobRequested> REQUESTS = JsonSerde.of(JobRequested.class);
    private static final Duration FOLLOW_RECHECK = Duration.ofSeconds(1);

    private final GeminiGateway gemini;
    private final CallGate gate;
    private final RetryPolicy retries;
    private final RateLimitGate rateLimit;
    private final SingleFlight flights;
    private final Cancellations cancellations;
    private final JobEvents events;
    private final DeadLetters deadLetters;
    private final EndClaims endings;
    private final WorkerSettings settings;
    private final MeterRegistry registry;
    private final JobMeters meters;
    private final FailureLog failureLog = new FailureLog();

    JobHandler(GeminiGateway gemini, CallGate gate, RetryPolicy retries, RateLimitGate rateLimit,
               SingleFlight flights, Cancellations cancellations, JobEvents events, DeadLetters deadLetters,
               EndClaims endings, WorkerSettings settings, MeterRegistry meters) {
        this.gemini = gemini;
        this.gate = gate;
        this.retries = retries;
        this.rateLimit = rateLimit;
        this.flights = flights;
        this.cancellations = cancellations;
        this.events = events;
        this.deadLetters = deadLetters;
        this.endings = endings;
        this.settings = settings;
        this.registry = meters;
        this.meters = new JobMeters(meters, gemini.model());
    }

    /**
     * Works on one record, in {@code slot} (one of the worker's in-flight places), which it releases as soon as only
     * the hand-over of the job's terminal event to Kafka is left.
     *
     * @return true when the record is finished for good; false when the worker is stopping and it must be re-delivered
     */
    boolean handle(ConsumerRecord<String, byte[]> record, StopSignal stop, Slot slot) {
        JobRequested request;
        try {
            request = REQUESTS.deserialize(record.topic(), record.value());
        } catch (SerializationException e) {
            return deadLetters.send(record, record.key(), "poison", e.getMessage(), stop);
        }
        try (var jobId = MDC.putCloseable("jobId", request.jobId().toString());
             var jobType = MDC.putCloseable("jobType", request.type().name())) {
            return new Run(request, record, stop, slot).process();
        } catch (RuntimeException e) {
            log.error("job {} failed unexpectedly", request.jobId(), e);
            return deadLetters.send(record, request.jobId().toString(), "internal_error", e.toString(), stop)
                    && finish(request, "internal_error", "the worker failed unexpectedly; see the worker logs", stop,
                    slot);
        }
    }

    /** One job's way through the worker. */
    private final class Run {

        private final JobRequested request;
        private final JobInput callInput;
        private final JobId id;
        private final ConsumerRecord<String, byte[]> record;
        private final StopSignal stop;
        private final Slot slot;
        private final RetryPolicy.Attempts attempts = new RetryPolicy.Attempts();
        private boolean running;
        private boolean startedOnce;

        Run(JobRequested request, ConsumerRecord<String, byte[]> record, StopSignal stop, Slot slot) {
            this.slot = slot;
            this.request = request;
            this.callInput = request.input() instanceof PresentationInput p ? p.subtopics() : request.input();
            this.id = request.jobId();
            this.record = record;
            this.stop = stop;
        }

        boolean process() {
            List<FieldViolation> violations = request.input().violations();
            if (!violations.isEmpty()) {
                return finish(request, "invalid_request", violations.stream()
                        .map(v -> v.field() + " " + v.message()).collect(Collectors.joining("; ")), stop, slot);
            }
            if (cancellations.cancelled(request)) {
                log.info("job {} was cancelled before it started", id);
                return true;
            }
            SingleFlight.Flight flight = flights.join(key(gemini.model())); // the cache lookup, and on a miss the flight
            while (flight instanceof SingleFlight.Follower follower) {
                if (gate.expired(request)) {
                    return expire();
                }
                Optional<CachedResult> theirs;
                try {
                    theirs = follower.await(FOLLOW_RECHECK);
                } catch (GeminiFailure failure) {
                    return finish(request, failure.code(), failure.getMessage(), stop, slot);
                }
                if (theirs.isPresent()) {
                    log.info("job {} completed by an identical job's Gemini call", id);
                    return completeWithoutCall(theirs.get());
                }
                if (stop.isStopped()) {
                    return false;
                }
                if (follower.leaderGone()) {
                    flight = follower.rejoin();
                }
            }
            if (flight instanceof SingleFlight.Hit hit) {
                log.info("job {} served from cache", id);
                return completeWithoutCall(hit.result());
            }
            SingleFlight.Leader leader = (SingleFlight.Leader) flight;
            try {
                return lead(leader);
            } finally {
                leader.abandoned(); // no-op when it ended with a result or a final failure
            }
        }

        private boolean lead(SingleFlight.Leader leader) {
            while (true) {
                switch (gate.admit(request, gemini.estimateTokens(request.input()))) {
                    case CallGate.Expired expired -> {
                        return expire();
                    }
                    case CallGate.Cancelled cancelled -> {
                        log.info("job {} was cancelled; no further Gemini call", id);
                        return true;
                    }
                    case CallGate.Wait wait -> {
                        requeue(wait.reason());
                        if (!gate.await(wait, stop)) {
                            return false;
                        }
                    }
                    case CallGate.Permit permit -> {
                        SingleFlight.Leader answering = leader;
                        if (permit.fallback()) {
                            // the fallback's answer has a key of its own: looked up, and shared, under it
                            switch (flights.join(key(permit.model()))) {
                                case SingleFlight.Hit hit -> {
                                    permit.unused();
                                    leader.abandoned(); // identical jobs here look again: they may not fall back
                                    log.info("job {} served from the cache of the fallback model", id);
                                    return completeWithoutCall(hit.result());
                                }
                                case SingleFlight.Follower follower -> {
                                    permit.unused();
                                    requeue("an identical job is being answered by the fallback model");
                                    if (!stop.sleep(FOLLOW_RECHECK)) {
                                        return false;
                                    }
                                    continue;
                                }
                                case SingleFlight.Leader fallbackLeader -> answering = fallbackLeader;
                            }
                        }
                        Boolean outcome = call(permit, answering, leader);
                        if (outcome != null) {
                            return outcome;
                        }
                    }
                }
            }
        }

        /**
         * A result that cost no Gemini call (the cache, or an identical job's call): the job goes from QUEUED to
         * SUCCEEDED without ever RUNNING (no attempt, no {@code started} record); a presentation still starts, as its
         * plan is progress of a running job.
         */
        private boolean completeWithoutCall(CachedResult result) {
            if (request.input() instanceof PresentationInput) {
                start();
            }
            return complete(result, true);
        }

        /**
         * One call through {@code permit}, its answer shared through {@code answering} (the flight of the model's
         * key). @return the job's outcome (as {@link #process()} returns it), or null when it goes round again
         */
        private Boolean call(CallGate.Permit permit, SingleFlight.Leader answering, SingleFlight.Leader leader) {
            start();
            try {
                Generation generation = permit.call(() -> JobHandler.this.call(callInput, permit.model(), request),
                        g -> g.usage().totalTokens());
                CachedResult result = new CachedResult(generation.result(), generation.usage(), generation.model());
                answering.succeeded(result); // cached and the flight ended in the background
                if (answering != leader) {
                    leader.abandoned(); // a fallback answer is not the primary's: identical jobs here look again
                }
                return complete(result, false);
            } catch (GeminiFailure failure) {
                switch (retries.decide(failure, permit.probe(), attempts)) {
                    case RetryPolicy.Fail fail -> {
                        answering.failed(failure);
                        failureLog.failed(id, failure, "the job fails (not retryable)");
                        return finish(request, failure.code(), failure.getMessage(), stop, slot);
                    }
                    case RetryPolicy.GiveUp giveUp -> {
                        failureLog.failed(id, failure, "giving up");
                        return deadLetters.send(record, id.toString(), "retries_exhausted", giveUp.reason(), stop)
                                && finish(request, "retries_exhausted", giveUp.reason(), stop, slot);
                    }
                    case RetryPolicy.Retry retry -> {
                        if (failure.kind() == GeminiFailure.Kind.RATE_LIMITED) {
                            rateLimit.rateLimited(permit.model(), failure);
                        }
                        meters.retried(failure.code());
                        failureLog.failed(id, failure, "retrying in " + retry.delay().toMillis() + " ms");
                        requeue("attempt failed (" + failure.code() + "); retrying in " + retry.delay().toMillis()
                                + " ms");
                        return stop.sleep(retry.delay()) ? null : false;
                    }
                }
            } finally {
                if (answering != leader) {
                    answering.abandoned(); // no-op when it ended; else the next round asks again which model
                }
            }
        }

        private String key(String model) {
            return ResultCache.key(callInput, model, gemini.promptVersion());
        }

        /** The job's answer is known: a result for most jobs, the plan (and its section jobs) for a presentation. */
        private boolean complete(CachedResult result, boolean cached) {
            if (request.input() instanceof PresentationInput presentation) {
                return plan(presentation, result);
            }
            return succeed(request, new JobSucceeded(id, Instant.now(), result.result(), cached, result.usage(),
                    result.model()), stop, slot);
        }

        /**
         * Fans out: one EXPLANATION job per subtopic onto its lane's topic, so any worker takes any section. The
         * presentation itself is done here (its offset may commit); the API's fan-in completes it from the sections'
         * events. Section ids derive from the presentation's, so a re-delivered presentation plans the same jobs.
         */
        private boolean plan(PresentationInput presentation, CachedResult result) {
            if (!(result.result() instanceof JobResult.Subtopics subtopics)) {
                return finish(request, "invalid_output", "the subtopics of the presentation are missing", stop, slot);
            }
            if (cancellations.cancelled(request)) {
                return true;
            }
            Instant now = Instant.now();
            List<JobRequested> sections = new java.util.ArrayList<>();
            for (int i = 0; i < subtopics.subtopics().size(); i++) {
                sections.add(JobRequested.child(request, i, new ExplanationInput(presentation.topic(),
                        subtopics.subtopics().get(i), presentation.level()), now));
            }
            // the plan queues the sections (the API folds each one's "queued" from it) before any can be taken
            JobPlanned planned = new JobPlanned(id, now, subtopics.subtopics(),
                    sections.stream().map(JobRequested::jobId).toList());
            if (!endings.once(id, stop, () -> events.publishAndWait(request, planned, stop)
                    && events.requestAllAndWait(sections, stop))) {
                return false;
            }
            log.info("presentation {} planned: {} sections queued", id, sections.size());
            return true;
        }

        private void start() {
            if (!startedOnce) {
                startedOnce = true;
                meters.queued(request.type(), Duration.between(request.requestedAt(), Instant.now()));
            }
            if (!running) {
                events.publish(request, new JobStarted(id, Instant.now(), settings.id()));
                running = true;
            }
        }

        private void requeue(String reason) {
            if (running) {
                events.publish(request, new JobRequeued(id, Instant.now(), reason));
                running = false;
            }
        }

        private boolean expire() {
            return finish(request, "expired", "the job waited longer than " + settings.maxJobAge()
                    + " (GENPIPE_MAX_JOB_AGE) without a result", stop, slot);
        }
    }

    private Generation call(JobInput input, String model, JobRequested request) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "success";
        try {
            Generation generation = gemini.generate(input, model,
                    text -> events.publish(request, new JobDelta(request.jobId(), Instant.now(), text)));
            meters.tokens(generation.model(), generation.usage().inputTokens(), generation.usage().outputTokens());
            return generation;
        } catch (GeminiFailure failure) {
            outcome = failure.code();
            throw failure;
        } finally {
            sample.stop(meters.call(outcome));
        }
    }


    private boolean succeed(JobRequested request, JobSucceeded event, StopSignal stop, Slot slot) {
        slot.release(); // the work is done; waiting for Kafka to take the answer need not hold a slot
        boolean published = endings.once(request.jobId(), stop, () -> events.publishAndWait(request, event, stop));
        if (published) {
            meters.succeeded(request.type(), event.cached(), Duration.between(request.requestedAt(), Instant.now()));
        }
        return published;
    }

    private boolean finish(JobRequested request, String code, String reason, StopSignal stop, Slot slot) {
        slot.release();
        JobFailed event = new JobFailed(request.jobId(), Instant.now(), code, reason);
        boolean published = endings.once(request.jobId(), stop, () -> events.publishAndWait(request, event, stop));
        if (published) {
            meters.failed(request.type(), Duration.between(request.requestedAt(), Instant.now()));
        }
        return published;
    }
}
