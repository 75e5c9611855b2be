package dev.genpipe.api.jobs;

import dev.genpipe.api.clients.Client;
import dev.genpipe.api.clients.DailyTokenBudget;
import dev.genpipe.api.clients.SubmitRateLimits;
import dev.genpipe.api.status.JobViews;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.Priority;
import dev.genpipe.common.view.JobView;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Accepting a job, whichever endpoint asks: the client's submit rate, its daily token budget, its idempotency key
 * (the same key gives the same job; the key with another request is a conflict), then Kafka.
 */
@Component
class JobIntake {

    /** The job accepted (or found again under its idempotency key). */
    record Accepted(JobId id, boolean replayed) {
    }

    private final JobSubmitter submitter;
    private final JobViews views;
    private final IdempotencyKeys idempotency;
    private final SubmitRateLimits rateLimits;
    private final DailyTokenBudget budget;

    JobIntake(JobSubmitter submitter, JobViews views, IdempotencyKeys idempotency, SubmitRateLimits rateLimits,
              DailyTokenBudget budget) {
        this.submitter = submitter;
        this.views = views;
        this.idempotency = idempotency;
        this.rateLimits = rateLimits;
        this.budget = budget;
    }

    /** Takes one submit from the client's rate before anything else is looked at. */
    void admit(Client client) {
        rateLimits.take(client);
    }

    /**
     * Accepts {@code input} in lane {@code priority} for {@code client} ({@code callbackUrl}: a validated webhook URL,
     * or null; {@code key}: its idempotency key, or null). The lane is not part of the request's fingerprint: the same
     * key with the same input in the other lane is the same job.
     *
     * @throws IdempotencyConflict when the key was used for another request
     */
    Accepted accept(JobInput input, String callbackUrl, Priority priority, Boolean allowFallback, Client client,
                    String key) {
        budget.check(client);
        if (key == null) {
            return new Accepted(submitter.submit(JobId.random(), input, callbackUrl, priority, allowFallback, client).jobId(), false);
        }
        JobId id = idempotency.jobId(client.id(), IdempotencyKeys.validate(key));
        String fingerprint = JobRequested.fingerprint(input);
        Optional<JobView> known = views.peek(id).filter(v -> JobController.owns(client, v));
        Optional<String> earlier = idempotency.recentFingerprint(id)
                .or(() -> known.map(v -> v.request() == null ? null : v.request().fingerprint()));
        if (earlier.isPresent()) {
            if (!earlier.get().equals(fingerprint)) {
                throw new IdempotencyConflict();
            }
            return new Accepted(id, true);
        }
        idempotency.remember(id, fingerprint);
        submitter.submit(id, input, callbackUrl, priority, allowFallback, client);
        return new Accepted(id, false);
    }
}
