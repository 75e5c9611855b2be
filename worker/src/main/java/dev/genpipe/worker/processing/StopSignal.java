package dev.genpipe.worker.processing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets waiting jobs (back-off, breaker, budgets, Kafka outage) wake up at once when they must let go: the worker
 * stops, or their partition moved to another worker. A child signal stops with its parent.
 */
final class StopSignal {

    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<StopSignal> children = new CopyOnWriteArrayList<>();

    void stop() {
        stopped.countDown();
        children.forEach(StopSignal::stop);
    }

    /** A signal that stops when this one stops, or on its own. */
    StopSignal child() {
        StopSignal child = new StopSignal();
        children.add(child);
        if (isStopped()) {
            child.stop();
        }
        return child;
    }

    /** Stops the child, and forgets it. */
    void stopChild(StopSignal child) {
        child.stop();
        children.remove(child);
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** @return true when the full time passed, false when the job must let go (or the thread was interrupted) */
    boolean sleep(Duration time) {
        try {
            return !stopped.await(time.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
