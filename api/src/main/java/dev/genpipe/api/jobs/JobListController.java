package dev.genpipe.api.jobs;

import dev.genpipe.api.clients.Client;
import dev.genpipe.api.status.JobList;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.JobType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/jobs?status=&type=&limit=&cursor=}: the calling client's jobs, newest first, a page at a time. */
@RestController
@Tag(name = "jobs")
class JobListController {

    static final int DEFAULT_LIMIT = 20;

    private final JobList list;

    JobListController(JobList list) {
        this.list = list;
    }

    /** One job of the list: what it is and where it stands; its result is one GET away. */
    record JobSummary(String jobId, JobType type, Object input, dev.genpipe.common.job.Priority priority,
                      JobStatus status, int attempts,
                      java.time.Instant createdAt, java.time.Instant updatedAt, java.time.Instant finishedAt,
                      boolean cached, JobResponse.JobError error, JobLinks links) {
    }

    record JobPage(List<JobSummary> jobs, String next, Links links) {
        record Links(String self, String next) {
        }
    }

    @Operation(summary = "My jobs, newest first, a page at a time (not a presentation's sections)")
    @GetMapping(JobController.PATH)
    JobPage jobs(@AuthenticationPrincipal Client client,
                 @RequestParam(name = "status", required = false) String status,
                 @RequestParam(name = "type", required = false) String type,
                 @RequestParam(name = "limit", required = false) Integer limit,
                 @RequestParam(name = "cursor", required = false) String cursor) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > JobList.MAX_LIMIT) {
            throw new InvalidJobRequest("limit", "must be between 1 and " + JobList.MAX_LIMIT);
        }
        Optional<JobStatus> wantedStatus = parse("status", status, JobStatus.class);
        Optional<JobType> wantedType = parse("type", type, JobType.class);
        JobList.Page page;
        try {
            page = list.of(client.id(), wantedStatus, wantedType, size, cursor);
        } catch (IllegalArgumentException e) {
            throw new InvalidJobRequest("cursor", e.getMessage());
        }
        List<JobSummary> jobs = page.jobs().stream().map(JobResponse::of).map(r -> new JobSummary(r.jobId(), r.type(),
                r.input(), r.priority(), r.status(), r.attempts(), r.createdAt(), r.updatedAt(), r.finishedAt(), r.cached(), r.error(),
                r.links())).toList();
        String query = (wantedStatus.map(s -> "&status=" + s).orElse("") + wantedType.map(t -> "&type=" + t).orElse("")
                + "&limit=" + size);
        return new JobPage(jobs, page.next(), new JobPage.Links(JobController.PATH + "?" + query.substring(1),
                page.next() == null ? null : JobController.PATH + "?cursor=" + page.next() + query));
    }

    private static <E extends Enum<E>> Optional<E> parse(String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String name = value.strip().toUpperCase(Locale.ROOT);
        return Optional.of(Arrays.stream(type.getEnumConstants()).filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new InvalidJobRequest(field, "must be one of " + Arrays.toString(
                        type.getEnumConstants()))));
    }
}
