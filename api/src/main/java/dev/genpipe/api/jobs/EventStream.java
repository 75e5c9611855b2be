package dev.genpipe.api.jobs;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.view.JobView;
import dev.genpipe.common.view.SequencedEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One SSE client following one job. Views arrive from the hub (and the snapshot); each is a full history, so the
 * stream sends the events with a sequence number above the last one sent — nothing twice, nothing missed — and
 * completes after the terminal event.
 */
final class EventStream extends ViewStream {

    private final JobId jobId;
    private long lastSent;

    EventStream(JobId jobId, SseEmitter emitter, long lastEventId, Duration heartbeat) {
        super(emitter, heartbeat);
        this.jobId = jobId;
        this.lastSent = Math.max(0, lastEventId);
    }

    JobId jobId() {
        return jobId;
    }

    @Override
    boolean wants(JobView view) {
        return true; // subscribed to this job only
    }

    @Override
    String describe() {
        return "event stream of job " + jobId;
    }

    /** Sends what the client has not seen; true when the job is over and all of it was sent. */
    @Override
    boolean deliver(JobView view) throws IOException {
        for (SequencedEvent event : view.eventsAfter(lastSent)) {
            emitter.send(SseFrames.frame(jobId, event));
            lastSent = event.seq();
        }
        return view.status().isTerminal() && lastSent >= view.lastSeq();
    }

    /** Views are full snapshots: of those waiting, only the longest history matters. */
    @Override
    JobView next(JobView first, LinkedBlockingQueue<JobView> waiting) {
        JobView latest = first;
        for (JobView next = waiting.poll(); next != null; next = waiting.poll()) {
            if (next.lastSeq() >= latest.lastSeq()) {
                latest = next;
            }
        }
        return latest;
    }
}
