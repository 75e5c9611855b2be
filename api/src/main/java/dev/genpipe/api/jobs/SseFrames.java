package dev.genpipe.api.jobs;

import dev.genpipe.common.event.JobCancelled;
import dev.genpipe.common.event.JobDelta;
import dev.genpipe.common.event.JobPlanned;
import dev.genpipe.common.event.SectionCompleted;
import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.event.JobFailed;
import dev.genpipe.common.event.JobQueued;
import dev.genpipe.common.event.JobRequeued;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.event.JobWebhook;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.kafka.GenPipeJson;
import dev.genpipe.common.view.SequencedEvent;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One SSE frame per job event: {@code id: <seq>}, {@code event: <kind>}, {@code data: <one-line JSON>}. The data is
 * compact JSON, whose strings escape line breaks, so model output can never break a frame. The data of an event is
 * rendered once and kept with it, however many streams send it.
 */
final class SseFrames {

    private SseFrames() {
    }

    static SseEmitter.SseEventBuilder frame(JobId jobId, SequencedEvent sequenced) {
        JobEvent event = sequenced.event();
        return SseEmitter.event()
                .id(Long.toString(sequenced.seq()))
                .name(kind(event))
                .data(sequenced.rendered(e -> data(jobId, e)));
    }

    /** A frame of a stream that mixes jobs ({@code GET /api/jobs/events}): the same, without an id. */
    static SseEmitter.SseEventBuilder frameWithoutId(JobId jobId, SequencedEvent sequenced) {
        return SseEmitter.event().name(kind(sequenced.event()))
                .data(sequenced.rendered(event -> data(jobId, event)));
    }

    static String kind(JobEvent event) {
        return switch (event) {
            case JobQueued q -> "queued";
            case JobStarted s -> "started";
            case JobRequeued r -> "requeued";
            case JobSucceeded s -> "succeeded";
            case JobFailed f -> "failed";
            case JobCancelled c -> "cancelled";
            case JobPlanned p -> "planned";
            case SectionCompleted c -> "section";
            case JobDelta d -> "delta";
            case JobWebhook w -> "webhook"; // never in a job's history (Timeline.note), listed for completeness
        };
    }

    static String data(JobId jobId, SequencedEvent sequenced) {
        JsonMapper json = GenPipeJson.mapper();
        JobEvent event = sequenced.event();
        ObjectNode data = json.createObjectNode()
                .put("jobId", jobId.toString())
                .put("seq", sequenced.seq())
                .put("status", event.status().name())
                .put("at", event.at() == null ? null : event.at().toString());
        switch (event) {
            case JobQueued q -> data.put("type", q.request() == null ? null : q.request().type().name());
            case JobStarted s -> data.put("workerId", s.workerId());
            case JobRequeued r -> data.put("reason", r.reason());
            case JobSucceeded s -> data
                    .put("cached", s.cached())
                    .put("model", s.model())
                    .<ObjectNode>set("result", json.valueToTree(s.result()))
                    .set("usage", json.valueToTree(s.usage()));
            case JobFailed f -> data.put("code", f.code()).put("reason", f.reason());
            case JobCancelled c -> data.put("reason", c.reason());
            case JobPlanned p -> data.<ObjectNode>set("subtopics", json.valueToTree(p.subtopics()))
                    .set("sections", json.valueToTree(p.sections()));
            case SectionCompleted c -> data.put("completed", c.completed()).put("total", c.total())
                    .set("section", json.valueToTree(c.section()));
            case JobDelta d -> data.put("text", d.text());
            case JobWebhook w -> data.set("webhook", json.valueToTree(w.webhook()));
        }
        return json.writeValueAsString(data);
    }
}
