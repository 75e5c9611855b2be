package dev.genpipe.worker.processing;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Lets waiting jobs (back-off, Kafka outage) wake up at once when the worker stops. */
final class StopSignal {

    private final CountDownLatch stopped = new CountDownLatch(1);

    void stop() {
        stopped.countDown();
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** @return true when the full time passed, false when the worker is stopping (or the thread was interrupted) */
    boolean sleep(Duration time) {
        try {
            return !stopped.await(time.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
