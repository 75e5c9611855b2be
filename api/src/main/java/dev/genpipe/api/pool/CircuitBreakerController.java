package dev.genpipe.api.pool;

import dev.genpipe.api.pool.PoolResponses.BreakerState;
import dev.genpipe.api.pool.PoolResponses.CommandAccepted;
import dev.genpipe.common.pool.WorkerCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The workers' circuit breakers (admin): their state, and a reset of all of them. */
@RestController
@RequestMapping("/api/circuit-breaker")
@Tag(name = "admin")
class CircuitBreakerController {

    private final WorkerPool pool;
    private final WorkerCommands commands;

    CircuitBreakerController(WorkerPool pool, WorkerCommands commands) {
        this.pool = pool;
        this.commands = commands;
    }

    @Operation(summary = "The live workers' circuit breakers and the pool's overall state")
    @GetMapping("/state")
    BreakerState state() {
        return BreakerState.of(pool.now());
    }

    /** Closes every live worker's breaker: 202 once the command is in Kafka (the workers act on it right after). */
    @Operation(summary = "Close every live worker's circuit breaker")
    @ApiResponse(responseCode = "202", description = "Kafka has the command (`genpipe.worker-commands`)")
    @PostMapping("/reset")
    ResponseEntity<CommandAccepted> reset() {
        WorkerPool.Snapshot workers = pool.now(); // first: while the store loads, nothing is sent
        WorkerCommand command = commands.send(WorkerCommand.Kind.RESET_CIRCUIT_BREAKER);
        return ResponseEntity.accepted().body(CommandAccepted.of(command, workers));
    }
}
