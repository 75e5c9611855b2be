package dev.genpipe.common.pool;

import java.time.Instant;
import java.util.UUID;

/**
 * An instruction from the API to every worker, on {@code genpipe.worker-commands}. Workers read the topic from its
 * end when they start, so a command reaches the workers alive when it was given.
 */
public record WorkerCommand(String commandId, Kind kind, Instant at) {

    public enum Kind {
        /** Close every worker's circuit breaker (and resume consumption). */
        RESET_CIRCUIT_BREAKER,
        /** Clear the result cache (Redis and every worker's fallback). */
        CLEAR_CACHE
    }

    public static WorkerCommand of(Kind kind) {
        return new WorkerCommand(UUID.randomUUID().toString(), kind, Instant.now());
    }
}
