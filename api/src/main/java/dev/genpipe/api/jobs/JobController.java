package dev.genpipe.api.jobs;

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

    /** Until clients have identities (API keys), every caller shares one idempotency namespace. */
    static final String ANONYMOUS = "anonymous";

    private final JobSubmitter submitter;
    private final JobViews views;
    private final IdempotencyKeys idempotency;

    JobController(JobSubmitter submitter, JobViews views, IdempotencyKeys idempotency) {
        this.submitter = submitter;
        this.views = views;
        this.idempotency = idempotency;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobAccepted> submit(@RequestBody JsonNode body,
                                       @RequestHeader(name = IdempotencyKeys.HEADER, required = false) String key) {
        JobInput input = JobRequests.parse(body);
        if (key == null && body.path("idempotencyKey").isString()) {
            key = body.path("idempotencyKey").asString();
        }
        if (key == null) {
            return accepted(JobAccepted.of(submitter.submit(input).jobId()), false);
        }
        JobId id = idempotency.jobId(ANONYMOUS, IdempotencyKeys.validate(key));
        String fingerprint = JobRequested.fingerprint(input);
        Optional<JobView> known = views.peek(id);
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
        submitter.submit(id, input);
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
    JobResponse get(@PathVariable String id) {
        return JobId.parse(id).flatMap(views::find).map(JobResponse::of).orElseThrow(JobNotFound::new);
    }
}
