package dev.genpipe.api.jobs;

import dev.genpipe.api.clients.Client;
import dev.genpipe.api.clients.DailyTokenBudget;
import dev.genpipe.api.clients.SubmitRateLimits;
import dev.genpipe.api.status.JobViews;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.view.JobView;
import java.util.Optional;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Submit a job, read a job. */
@RestController
@RequestMapping(JobController.PATH)
class JobController {

    static final String PATH = "/api/jobs";

    private final JobSubmitter submitter;
    private final JobViews views;
    private final IdempotencyKeys idempotency;
    private final SubmitRateLimits rateLimits;
    private final DailyTokenBudget budget;

    JobController(JobSubmitter submitter, JobViews views, IdempotencyKeys idempotency, SubmitRateLimits rateLimits,
                  DailyTokenBudget budget) {
        this.submitter = submitter;
        this.views = views;
        this.idempotency = idempotency;
        this.rateLimits = rateLimits;
        this.budget = budget;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobAccepted> submit(@RequestBody JsonNode body, @AuthenticationPrincipal Client client,
                                       @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String key) {
        rateLimits.take(client);
        JobInput input = JobRequests.parse(body);
        budget.check(client);
        if (key == null && body.path("idempotencyKey").isString()) {
            key = body.path("idempotencyKey").asString();
        }
        if (key == null) {
            return accepted(JobAccepted.of(submitter.submit(JobId.random(), input, client).jobId()), false);
        }
        JobId id = idempotency.jobId(client.id(), IdempotencyKeys.validate(key));
        String fingerprint = JobRequested.fingerprint(input);
        Optional<JobView> known = views.peek(id).filter(v -> owns(client, v));
        Optional<String> earlier = idempotency.recentFingerprint(id)
                .or(() -> known.map(v -> v.request() == null ? null : v.request().fingerprint()));
        if (earlier.isPresent()) {
            if (!earlier.get().equals(fingerprint)) {
                throw new IdempotencyConflict();
            }
            return accepted(new JobAccepted(id.toString(), known.map(JobView::status).orElse(JobStatus.QUEUED),
                    JobLinks.of(id)), true);
        }
        idempotency.remember(id, fingerprint);
        submitter.submit(id, input, client);
        return accepted(JobAccepted.of(id), false);
    }

    private static ResponseEntity<JobAccepted> accepted(JobAccepted accepted, boolean replayed) {
        ResponseEntity.BodyBuilder response = ResponseEntity.accepted().location(URI.create(accepted.links().self()));
        if (replayed) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(accepted);
    }

    @GetMapping("/{id}")
    JobResponse get(@PathVariable String id, @AuthenticationPrincipal Client client) {
        return JobResponse.of(owned(views, id, client));
    }

    /** Cancels a job that has not finished: 202 with status CANCELLED; 409 when it already ended. */
    @DeleteMapping("/{id}")
    ResponseEntity<JobAccepted> cancel(@PathVariable String id, @AuthenticationPrincipal Client client) {
        JobView view = owned(views, id, client);
        if (view.status().isTerminal()) {
            throw new JobAlreadyFinished(view.status());
        }
        // a presentation's sections that have not ended go with it (the fold and the workers both follow the parent)
        submitter.cancel(view.jobId(), view.request().parentId(), "cancelled by the client");
        return ResponseEntity.accepted().body(new JobAccepted(view.jobId().toString(), JobStatus.CANCELLED,
                JobLinks.of(view.jobId())));
    }

    /**
     * The job, if it exists and belongs to {@code client}; otherwise 404 — the same answer for somebody else's job as
     * for no job, so ids cannot be probed.
     */
    static JobView owned(JobViews views, String id, Client client) {
        return JobId.parse(id).flatMap(views::find).filter(v -> owns(client, v)).orElseThrow(JobNotFound::new);
    }

    static boolean owns(Client client, JobView view) {
        return view.request() != null && view.request().ownedBy(client.id());
    }
}
