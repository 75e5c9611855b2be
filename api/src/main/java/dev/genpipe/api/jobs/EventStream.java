package dev.genpipe.api.jobs;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.view.JobView;
import dev.genpipe.common.view.Timeline;
import dev.genpipe.common.view.SequencedEvent;
import java.io.IOException;
import java.time.Duration;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One SSE client following one job. Each time the job changes (and once for the snapshot) the stream sends the
 * events of its timeline above the last one sent — nothing twice, nothing missed — and completes after the terminal
 * event.
 */
final class EventStream extends ViewStream {

    static final Duration RECONNECT = Duration.ofSeconds(3);

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
    boolean wants(Timeline timeline) {
        return true; // subscribed to this job only
    }

    /** Tells the client how long to wait before it reconnects after a lost connection (it resumes from its id). */
    @Override
    void opened() throws IOException {
        emitter.send(SseEmitter.event().reconnectTime(RECONNECT.toMillis()));
    }

    @Override
    String describe() {
        return "event stream of job " + jobId;
    }

    /** Sends what the client has not seen; true when the job is over and all of it was sent. */
    @Override
    boolean deliver(Timeline timeline) throws IOException {
        JobView view = timeline.view(); // before the events: a terminal view's events are all in the timeline
        for (SequencedEvent event : timeline.eventsAfter(lastSent)) {
            emitter.send(SseFrames.frame(jobId, event));
            lastSent = event.seq();
        }
        return view.status().isTerminal() && lastSent >= view.seq();
    }

}
