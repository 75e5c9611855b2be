package dev.genpipe.api.jobs;

import dev.genpipe.common.view.Timeline;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * An SSE response fed with job timelines, served by its own virtual thread: a timeline that changed arrives from the
 * hub (on the fold's thread, never blocking), the thread sends what the client has not seen of it
 * ({@link #deliver}) and heartbeat comments in between. Subclasses say which jobs they take and what they send.
 */
abstract class ViewStream implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ViewStream.class);

    final SseEmitter emitter;
    private final Duration heartbeat;
    private final LinkedBlockingQueue<Timeline> views = new LinkedBlockingQueue<>();
    private volatile boolean closed;
    private volatile Thread thread;

    ViewStream(SseEmitter emitter, Duration heartbeat) {
        this.emitter = emitter;
        this.heartbeat = heartbeat;
    }

    /** Whether this stream wants the job of {@code timeline}. */
    abstract boolean wants(Timeline timeline);

    /** Sends what the client has not seen of {@code timeline}; true when the stream is complete. */
    abstract boolean deliver(Timeline timeline) throws IOException;

    /** Sent before anything else; by default nothing. */
    void opened() throws IOException {
    }

    /** For log lines. */
    abstract String describe();

    /** Hands a changed timeline to the stream's thread (called on the fold's thread: never blocks). */
    final void offer(Timeline timeline) {
        if (!closed && wants(timeline)) {
            views.offer(timeline);
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

    @Override
    public final void run() {
        thread = Thread.currentThread();
        try {
            opened();
            while (!closed) {
                Timeline timeline = views.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (closed) {
                    return;
                }
                if (timeline == null) {
                    emitter.send(SseEmitter.event().comment("heartbeat"));
                } else if (deliver(timeline)) {
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
