package dev.genpipe.api.pool;

import dev.genpipe.api.pool.PoolResponses.BreakerState;
import dev.genpipe.api.pool.PoolResponses.CommandAccepted;
import dev.genpipe.common.pool.WorkerCommand;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The workers' circuit breakers (admin): their state, and a reset of all of them. */
@RestController
@RequestMapping("/api/circuit-breaker")
class CircuitBreakerController {

    private final WorkerPool pool;
    private final WorkerCommands commands;

    CircuitBreakerController(WorkerPool pool, WorkerCommands commands) {
        this.pool = pool;
        this.commands = commands;
    }

    @GetMapping("/state")
    BreakerState state() {
        return BreakerState.of(pool.now());
    }

    /** Closes every live worker's breaker: 202 once the command is in Kafka (the workers act on it right after). */
    @PostMapping("/reset")
    ResponseEntity<CommandAccepted> reset() {
        WorkerPool.Snapshot workers = pool.now(); // first: while the store loads, nothing is sent
        WorkerCommand command = commands.send(WorkerCommand.Kind.RESET_CIRCUIT_BREAKER);
        return ResponseEntity.accepted().body(CommandAccepted.of(command, workers));
    }
}
