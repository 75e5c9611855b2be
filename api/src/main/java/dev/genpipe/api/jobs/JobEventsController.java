package dev.genpipe.api.jobs;

import dev.genpipe.api.clients.Client;
import dev.genpipe.api.status.JobViews;
import dev.genpipe.common.job.JobId;
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
class JobEventsController {

    private final JobViews views;
    private final JobEventStreams streams;

    JobEventsController(JobViews views, JobEventStreams streams) {
        this.views = views;
        this.streams = streams;
    }

    @GetMapping(JobController.PATH + "/{id}/events")
    SseEmitter events(@PathVariable String id, Client client,
            @RequestHeader(name = "Last-Event-ID", required = false) String lastEventIdHeader,
            @RequestParam(name = "lastEventId", required = false) String lastEventIdParam) {
        JobId jobId = JobController.owned(views, id, client).jobId();
        return streams.open(jobId, lastEventId(lastEventIdHeader != null ? lastEventIdHeader : lastEventIdParam),
                client);
    }

    @GetMapping(JobController.PATH + "/events")
    SseEmitter allEvents(Client client) {
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
