package dev.genpipe.worker.processing;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One of a worker's in-flight places ({@code GENPIPE_MAX_IN_FLIGHT}), held by a job while it is being worked on.
 * Released once, by whichever comes first: the job handing its terminal event to Kafka (a job waiting only for that
 * acknowledgement holds no place: the next job may start its Gemini call meanwhile; its offset still waits for the
 * acknowledgement), or the end of the job's thread.
 */
final class Slot {

    private final AtomicInteger inFlight;
    private final AtomicBoolean released = new AtomicBoolean();

    Slot(AtomicInteger inFlight) {
        this.inFlight = inFlight;
    }

    void release() {
        if (released.compareAndSet(false, true)) {
            inFlight.decrementAndGet();
        }
    }
}
