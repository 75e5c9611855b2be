package dev.genpipe.bench;

/**
 * What happened to one job of a load run. Times are milliseconds since the run's first arrival; -1 where something
 * did not happen. The event times ({@code *AtMicros}) are wall-clock microseconds written by GenPipe itself (the
 * {@code at} of each SSE event), with the client's own wall-clock send and receive times beside them, for the
 * breakdown of where the end-to-end time goes.
 */
final class JobTiming {

    final int index;
    final double arrivalMs;
    volatile double sentMs = -1;
    volatile double ackMs = -1;
    volatile double doneMs = -1;
    /** Completion notifications (BullMQ) or terminal events on Kafka (GenPipe) for this job. */
    volatile int completions;
    volatile boolean failed;
    volatile boolean submitError;
    /** GenPipe wrote a terminal event for the job, but its client was not told before the drain ended. */
    volatile boolean completedUnseen;
    volatile String jobId;
    volatile boolean cached;
    volatile long sentAtMicros = -1;
    volatile long queuedAtMicros = -1;
    volatile long startedAtMicros = -1;
    volatile long succeededAtMicros = -1;
    volatile long notifiedAtMicros = -1;

    JobTiming(int index, double arrivalMs) {
        this.index = index;
        this.arrivalMs = arrivalMs;
    }

    boolean accepted() {
        return !submitError && ackMs >= 0;
    }

    boolean completed() {
        return doneMs >= 0 && !failed;
    }
}
