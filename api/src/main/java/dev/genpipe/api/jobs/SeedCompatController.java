package dev.genpipe.api.jobs;

import dev.genpipe.api.clients.Client;
import dev.genpipe.api.status.JobViews;
import dev.genpipe.common.job.Priority;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.view.JobView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The original app's synchronous endpoint, kept for its frontend: {@code POST /api/create_subtopics
 * {"topic": ..., "count"?: n}} answers {@code 200 {"topic", "subtopics": [...]}} once the job is done. A thin facade
 * over {@code POST /api/jobs} with {@code Prefer: wait=30}: the same job, cache, rate limit, budget and ownership.
 * A job that fails is a {@code 502} problem with its reason; one still running after 30 s a {@code 504} problem that
 * names the job to follow ({@code jobId}, {@code Location}).
 */
@RestController
@Tag(name = "compat")
class SeedCompatController {

    private final JobIntake intake;
    private final JobViews views;

    SeedCompatController(JobIntake intake, JobViews views) {
        this.intake = intake;
        this.views = views;
    }

    @Schema(name = "SubtopicsAnswer") // not the result kind JobResult.Subtopics
    record Subtopics(String topic, List<String> subtopics, boolean cached, String jobId) {
    }

    @Operation(summary = "The original app's synchronous subtopics: a job, answered when it is done (up to 30 s)")
    @PostMapping(path = "/api/create_subtopics", consumes = MediaType.APPLICATION_JSON_VALUE)
    Subtopics createSubtopics(@RequestBody JsonNode body, @AuthenticationPrincipal Client client) {
        intake.admit(client);
        ObjectNode input = JsonNodeFactory.instance.objectNode();
        input.set("topic", body.get("topic"));
        if (body.has("count")) {
            input.set("count", body.get("count"));
        }
        ObjectNode job = JsonNodeFactory.instance.objectNode().put("type", "SUBTOPICS");
        job.set("input", input);
        JobIntake.Accepted accepted = intake.accept(JobRequests.parse(job), null, Priority.INTERACTIVE, null, client,
                null);
        JobView view = views.awaitEnd(accepted.id(), PreferWait.LONGEST).orElseThrow(() -> {
            ErrorResponseException pending = problem(HttpStatus.GATEWAY_TIMEOUT,
                    "the subtopics are not ready after " + PreferWait.LONGEST.toSeconds() + " s; follow the job");
            pending.getBody().setProperty("jobId", accepted.id().toString());
            pending.getHeaders().setLocation(URI.create(JobLinks.of(accepted.id()).self()));
            return pending;
        });
        if (view.status() != JobStatus.SUCCEEDED || !(view.result() instanceof JobResult.Subtopics subtopics)) {
            ErrorResponseException failed = problem(HttpStatus.BAD_GATEWAY, "the subtopics could not be generated: "
                    + (view.errorCode() == null ? "" : view.errorCode() + ": ") + view.error());
            failed.getBody().setProperty("jobId", accepted.id().toString());
            throw failed;
        }
        return new Subtopics(body.path("topic").asString(), subtopics.subtopics(), view.cached(),
                accepted.id().toString());
    }

    private static ErrorResponseException problem(HttpStatus status, String detail) {
        return new ErrorResponseException(status, ProblemDetail.forStatusAndDetail(status, detail), null);
    }
}
