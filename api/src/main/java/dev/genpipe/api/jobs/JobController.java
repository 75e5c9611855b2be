package dev.genpipe.api.jobs;

import dev.genpipe.api.clients.Client;
import dev.genpipe.api.status.JobViews;
import dev.genpipe.api.webhooks.Callbacks;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.Priority;
import dev.genpipe.common.view.JobView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
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
@Tag(name = "jobs")
class JobController {

    static final String PATH = "/api/jobs";

    private final JobSubmitter submitter;
    private final JobViews views;
    private final JobIntake intake;
    private final Callbacks callbacks;

    JobController(JobSubmitter submitter, JobViews views, JobIntake intake, Callbacks callbacks) {
        this.submitter = submitter;
        this.views = views;
        this.intake = intake;
        this.callbacks = callbacks;
    }

    /**
     * Accepts a job: {@code 202} with its id once Kafka has it. With {@code Prefer: wait=N} (RFC 7240, N ≤ 30 s) the
     * answer waits for the job to end: {@code 200} with the finished job when it ends within N seconds, otherwise the
     * usual {@code 202}; both say {@code Preference-Applied}. An optional {@code callbackUrl} gets the finished job as a
     * signed webhook; one the policy refuses is a {@code 400} saying why.
     */
    @Operation(summary = "Submit a job", description = "`202` once Kafka has the job; with `Prefer: wait=N` `200` "
            + "with the finished job when it ends within N s (a cache hit in one round trip).")
    @ApiResponse(responseCode = "202", description = "Accepted: `Location` is the job. A repeated `Idempotency-Key`: "
            + "the same job, `Idempotent-Replayed: true`",
            content = @Content(schema = @Schema(implementation = JobAccepted.class)))
    @ApiResponse(responseCode = "200", description = "With `Prefer: wait=N`: the job ended within N s "
            + "(`Preference-Applied: wait=N`)",
            content = @Content(schema = @Schema(implementation = JobResponse.class)))
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> submit(@RequestBody JsonNode body, @AuthenticationPrincipal Client client,
                             @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String key,
                             @RequestHeader(name = "Prefer", required = false) String prefer) {
        intake.admit(client);
        JobInput input = JobRequests.parse(body);
        String callbackUrl = JobRequests.callbackUrl(body);
        if (callbackUrl != null) {
            callbacks.refusal(callbackUrl, client.id()).ifPresent(refusal -> {
                throw new InvalidJobRequest("callbackUrl", refusal);
            });
        }
        Priority priority = JobRequests.priority(body);
        Boolean allowFallback = JobRequests.allowFallback(body);
        if (key == null && body.path("idempotencyKey").isString()) {
            key = body.path("idempotencyKey").asString();
        }
        JobIntake.Accepted accepted = intake.accept(input, callbackUrl, priority, allowFallback, client, key);
        Optional<Duration> wait = PreferWait.parse(prefer);
        if (wait.isPresent()) {
            Optional<JobView> ended = views.awaitEnd(accepted.id(), wait.get());
            if (ended.isPresent()) {
                return ResponseEntity.ok().header("Preference-Applied", PreferWait.applied(wait.get()))
                        .body(JobResponse.of(ended.get()));
            }
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.accepted()
                .location(URI.create(JobLinks.of(accepted.id()).self()));
        if (accepted.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        wait.ifPresent(w -> response.header("Preference-Applied", PreferWait.applied(w)));
        JobStatus status = accepted.replayed()
                ? views.peek(accepted.id()).map(JobView::status).orElse(JobStatus.QUEUED) : JobStatus.QUEUED;
        return response.body(new JobAccepted(accepted.id().toString(), status, JobLinks.of(accepted.id())));
    }

    @Operation(summary = "Read a job: status, attempts, timestamps, result or error, cached, token usage")
    @GetMapping("/{id}")
    JobResponse get(@PathVariable String id, @AuthenticationPrincipal Client client) {
        return JobResponse.of(owned(views, id, client));
    }

    /** Cancels a job that has not finished: 202 with status CANCELLED; 409 when it already ended. */
    @Operation(summary = "Cancel a job that has not ended (a presentation with its sections)")
    @ApiResponse(responseCode = "202", description = "Cancelled: status `CANCELLED`")
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
