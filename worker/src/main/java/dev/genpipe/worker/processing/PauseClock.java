package dev.genpipe.worker.processing;

import java.time.Duration;

/** Whether consumption is paused, and for how long it has been paused in all. Thread-safe. */
final class PauseClock {

    private long pausedAt = -1;
    private long totalNanos;

    synchronized void set(boolean paused) {
        long now = System.nanoTime();
        if (paused && pausedAt < 0) {
            pausedAt = now;
        } else if (!paused && pausedAt >= 0) {
            totalNanos += now - pausedAt;
            pausedAt = -1;
        }
    }

    synchronized boolean isPaused() {
        return pausedAt >= 0;
    }

    synchronized Duration total() {
        return Duration.ofNanos(totalNanos + (pausedAt >= 0 ? System.nanoTime() - pausedAt : 0));
    }
}
