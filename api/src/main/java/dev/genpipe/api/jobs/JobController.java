package dev.genpipe.api.jobs;

import dev.genpipe.api.status.JobViews;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import java.net.URI;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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

    JobController(JobSubmitter submitter, JobViews views) {
        this.submitter = submitter;
        this.views = views;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<JobAccepted> submit(@RequestBody JsonNode body) {
        JobRequested request = submitter.submit(JobRequests.parse(body));
        JobAccepted accepted = JobAccepted.of(request.jobId());
        return ResponseEntity.accepted().location(URI.create(accepted.links().self())).body(accepted);
    }

    @GetMapping("/{id}")
    JobResponse get(@PathVariable String id) {
        return JobId.parse(id).flatMap(views::find).map(JobResponse::of).orElseThrow(JobNotFound::new);
    }
}
