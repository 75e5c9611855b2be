package dev.genpipe.worker.processing;

import java.time.Duration;

/** What the worker's consumption looks like right now (for the pool's status). */
public interface Consumption {

    int inFlight();

    int maxInFlight();

    boolean isPaused();

    Duration pausedTotal();
}
