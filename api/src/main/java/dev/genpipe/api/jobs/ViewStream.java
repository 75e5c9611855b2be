package dev.genpipe.api.jobs;

import dev.genpipe.common.view.JobView;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * An SSE response fed with job views, served by its own virtual thread: views arrive from the hub (on the Kafka
 * Streams thread, never blocking), the thread turns them into frames ({@link #deliver}) and sends heartbeat comments
 * in between. Subclasses say which views they take and what they send.
 */
abstract class ViewStream implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ViewStream.class);

    final SseEmitter emitter;
    private final Duration heartbeat;
    private final LinkedBlockingQueue<JobView> views = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private volatile Thread thread;

    ViewStream(SseEmitter emitter, Duration heartbeat) {
        this.emitter = emitter;
        this.heartbeat = heartbeat;
    }

    /** Whether this stream wants {@code view}. */
    abstract boolean wants(JobView view);

    /** Sends what the client has not seen of {@code view}; true when the stream is complete. */
    abstract boolean deliver(JobView view) throws IOException;

    /** Sent before anything else; by default nothing. */
    void opened() throws IOException {
    }

    /** For log lines. */
    abstract String describe();

    /** Hands a view to the stream's thread (called on the Kafka Streams thread: never blocks). */
    final void offer(JobView view) {
        if (!closed && wants(view)) {
            views.offer(view);
        }
    }

    /** Ends the stream from outside (shutdown): stops its thread and completes the response. */
    final void end() {
        close();
        try {
            emitter.complete();
        } catch (RuntimeException e) {
            log.debug("{} was already complete: {}", describe(), e.toString());
        }
    }

    /** Stops the stream's thread; the emitter is completed by whoever calls this, or already is. */
    final void close() {
        closed = true;
        Thread current = thread;
        if (current != null && current != Thread.currentThread()) {
            current.interrupt();
        }
    }

    /** The next waiting view (the hub's order); subclasses may fold several into one. */
    JobView next(JobView first, LinkedBlockingQueue<JobView> waiting) {
        return first;
    }

    @Override
    public final void run() {
        thread = Thread.currentThread();
        try {
            opened();
            while (!closed) {
                JobView view = views.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (closed) {
                    return;
                }
                if (view == null) {
                    emitter.send(SseEmitter.event().comment("heartbeat"));
                } else if (deliver(next(view, views))) {
                    emitter.complete();
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | IllegalStateException e) {
            // the client went away or the emitter was completed (timeout, shutdown): nothing left to do
            log.debug("{} ended: {}", describe(), e.toString());
        } finally {
            closed = true;
        }
    }
}
