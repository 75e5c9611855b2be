package dev.genpipe.api.jobs;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.view.JobView;
import dev.genpipe.common.view.SequencedEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One SSE client following one job, served by its own virtual thread. Views arrive from the hub (and the snapshot);
 * each is a full history, so the stream sends the events with a sequence number above the last one sent — nothing
 * twice, nothing missed — and completes after the terminal event. Between events it sends heartbeat comments.
 */
final class EventStream implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(EventStream.class);

    private final JobId jobId;
    private final SseEmitter emitter;
    private final Duration heartbeat;
    private final LinkedBlockingQueue<JobView> views = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private volatile Thread thread;
    private long lastSent;

    EventStream(JobId jobId, SseEmitter emitter, long lastEventId, Duration heartbeat) {
        this.jobId = jobId;
        this.emitter = emitter;
        this.heartbeat = heartbeat;
        this.lastSent = Math.max(0, lastEventId);
    }

    JobId jobId() {
        return jobId;
    }

    /** Hands a view to the stream's thread (called on the Kafka Streams thread: never blocks). */
    void offer(JobView view) {
        if (!closed) {
            views.offer(view);
        }
    }

    /** Ends the stream from outside (shutdown): stops its thread and completes the response. */
    void end() {
        close();
        try {
            emitter.complete();
        } catch (RuntimeException e) {
            log.debug("event stream of job {} was already complete: {}", jobId, e.toString());
        }
    }

    /** Stops the stream's thread; the emitter is completed by whoever calls this, or already is. */
    void close() {
        closed = true;
        Thread current = thread;
        if (current != null && current != Thread.currentThread()) {
            current.interrupt();
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        try {
            while (!closed) {
                JobView view = views.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (closed) {
                    return;
                }
                if (view == null) {
                    emitter.send(SseEmitter.event().comment("heartbeat"));
                } else if (deliver(latest(view))) {
                    emitter.complete();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | IllegalStateException e) {
            // the client went away or the emitter was completed (timeout, shutdown): nothing left to do
            log.debug("event stream of job {} ended: {}", jobId, e.toString());
        } finally {
            closed = true;
        }
    }

    /** Sends what the client has not seen; true when the job is over and all of it was sent. */
    private boolean deliver(JobView view) throws IOException {
        for (SequencedEvent event : view.eventsAfter(lastSent)) {
            emitter.send(SseFrames.frame(jobId, event));
            lastSent = event.seq();
        }
        return view.status().isTerminal() && lastSent >= view.lastSeq();
    }

    /** Views are full snapshots: of those waiting, only the longest history matters. */
    private JobView latest(JobView first) {
        JobView latest = first;
        for (JobView next = views.poll(); next != null; next = views.poll()) {
            if (next.lastSeq() >= latest.lastSeq()) {
                latest = next;
            }
        }
        return latest;
    }
}
