package dev.genpipe.api.pool;

import dev.genpipe.api.pool.PoolResponses.CommandAccepted;
import dev.genpipe.common.pool.WorkerCommand;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The workers' result cache (admin). */
@RestController
@RequestMapping("/api/cache")
class CacheController {

    private final WorkerPool pool;
    private final WorkerCommands commands;

    CacheController(WorkerPool pool, WorkerCommands commands) {
        this.pool = pool;
        this.commands = commands;
    }

    /** Clears the result cache (Redis and every worker's fallback): 202 once the command is in Kafka. */
    @PostMapping("/clear")
    ResponseEntity<CommandAccepted> clear() {
        WorkerPool.Snapshot workers = pool.now();
        WorkerCommand command = commands.send(WorkerCommand.Kind.CLEAR_CACHE);
        return ResponseEntity.accepted().body(CommandAccepted.of(command, workers));
    }
}
