package dev.genpipe.api.pool;

import dev.genpipe.api.pool.PoolResponses.CommandAccepted;
import dev.genpipe.common.pool.WorkerCommand;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The workers' result cache (admin). */
@RestController
@RequestMapping("/api/cache")
@Tag(name = "admin")
class CacheController {

    private final WorkerPool pool;
    private final WorkerCommands commands;

    CacheController(WorkerPool pool, WorkerCommands commands) {
        this.pool = pool;
        this.commands = commands;
    }

    /** Clears the result cache (Redis and every worker's fallback): 202 once the command is in Kafka. */
    @Operation(summary = "Clear the result cache: Redis and every worker's in-memory fallback")
    @ApiResponse(responseCode = "202", description = "Kafka has the command (`genpipe.worker-commands`)")
    @PostMapping("/clear")
    ResponseEntity<CommandAccepted> clear() {
        WorkerPool.Snapshot workers = pool.now();
        WorkerCommand command = commands.send(WorkerCommand.Kind.CLEAR_CACHE);
        return ResponseEntity.accepted().body(CommandAccepted.of(command, workers));
    }
}
