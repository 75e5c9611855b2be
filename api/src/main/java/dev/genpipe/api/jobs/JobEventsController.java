package dev.genpipe.api.jobs;

import dev.genpipe.api.clients.Client;
import dev.genpipe.api.status.JobViews;
import dev.genpipe.common.view.JobView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /api/jobs/{id}/events}: the job's events as Server-Sent Events, resumable with Last-Event-ID.
 * {@code GET /api/jobs/events}: the events of all the caller's jobs on one stream, live.
 */
@RestController
@Tag(name = "events")
class JobEventsController {

    private final JobViews views;
    private final JobEventStreams streams;

    JobEventsController(JobViews views, JobEventStreams streams) {
        this.views = views;
        this.streams = streams;
    }

    /**
     * The job's stream; a reconnection whose {@code Last-Event-ID} is at or after the job's terminal event gets
     * {@code 204 No Content}, the HTML standard's way to tell an {@code EventSource} to stop reconnecting.
     */
    @Operation(summary = "Follow a job: its events as Server-Sent Events, resumable with Last-Event-ID")
    @ApiResponse(responseCode = "204", description = "`Last-Event-ID` is at or after the job's terminal event: "
            + "nothing more will come (an `EventSource` stops reconnecting)", content = @Content)
    @GetMapping(JobController.PATH + "/{id}/events")
    ResponseEntity<SseEmitter> events(@PathVariable String id, @AuthenticationPrincipal Client client,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
            @RequestParam(name = "lastEventId", required = false) String lastEventIdParam) {
        JobView view = JobController.owned(views, id, client);
        long lastEventId = lastEventId(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam);
        if (lastEventId > 0 && view.status().isTerminal() && lastEventId >= view.seq()) {
            return ResponseEntity.noContent().build();
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_EVENT_STREAM)
                .body(streams.open(view.jobId(), lastEventId, client));
    }

    @Operation(summary = "Follow all my jobs on one stream of Server-Sent Events, live")
    @GetMapping(JobController.PATH + "/events")
    SseEmitter allEvents(@AuthenticationPrincipal Client client) {
        return streams.openForClient(client);
    }

    /** An unreadable id restarts from the beginning: the client dedupes by id anyway. */
    static long lastEventId(String text) {
        if (text == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
