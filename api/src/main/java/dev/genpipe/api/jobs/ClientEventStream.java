package dev.genpipe.api.jobs;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.view.JobView;
import dev.genpipe.common.view.Timeline;
import dev.genpipe.common.view.SequencedEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One SSE client following every job of one client ({@code GET /api/jobs/events}): the counterpart of a queue's event
 * listener, one connection however many jobs a client runs. Live only: it carries the events of the client's jobs
 * from the moment it is open (a job first seen with some history sends that history), each frame without an id, as a
 * mixed stream cannot be resumed by one; a client that needs a job's exact history follows that job's own stream or
 * reads its status. Per job it sends the events above the last one it sent, and remembers a job that ended so that
 * a late repeat of its view sends nothing. It never completes by itself.
 */
final class ClientEventStream extends ViewStream {

    /** Jobs the stream remembers (what it sent of each); the oldest are forgotten beyond it. */
    private static final int TRACKED_JOBS = 20_000;
    private static final long ENDED = -1;

    private final String clientId;
    private final Map<JobId, Long> sent = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<JobId, Long> eldest) {
            return size() > TRACKED_JOBS;
        }
    };

    ClientEventStream(String clientId, SseEmitter emitter, Duration heartbeat) {
        super(emitter, heartbeat);
        this.clientId = clientId;
    }

    @Override
    boolean wants(Timeline timeline) {
        JobView view = timeline.view();
        return view.request() != null && clientId.equals(view.request().clientId());
    }

    @Override
    String describe() {
        return "event stream of client " + clientId;
    }

    /** Sends the response headers at once: a client waits for them before it submits the jobs it will follow. */
    @Override
    void opened() throws IOException {
        emitter.send(SseEmitter.event().comment("open"));
    }

    @Override
    boolean deliver(Timeline timeline) throws IOException {
        JobView view = timeline.view();
        long last = sent.getOrDefault(view.jobId(), 0L);
        if (last == ENDED) {
            return false;
        }
        for (SequencedEvent event : timeline.eventsAfter(last)) {
            emitter.send(SseFrames.frameWithoutId(view.jobId(), event));
            last = event.seq();
        }
        sent.put(view.jobId(), view.status().isTerminal() && last >= view.seq() ? ENDED : last);
        return false;
    }
}
