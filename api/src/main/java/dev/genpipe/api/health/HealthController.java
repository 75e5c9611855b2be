package dev.genpipe.api.health;

import dev.genpipe.api.config.ApiSettings;
import dev.genpipe.api.pool.WorkerPool;
import dev.genpipe.api.status.JobStateLoading;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/health}: public, no token, no secrets. 200 while the API can do its work (healthy or degraded),
 * 503 when it cannot (Kafka unreachable, or the job state not loaded yet).
 */
@RestController
@Tag(name = "health")
class HealthController {

    private final ApiSettings settings;
    private final KafkaCheck kafka;
    private final WorkerPool pool;

    HealthController(ApiSettings settings, KafkaCheck kafka, WorkerPool pool) {
        this.settings = settings;
        this.kafka = kafka;
        this.pool = pool;
    }

    @Operation(summary = "Health of the API and the pool, in the original app's shape plus GenPipe's own fields")
    @ApiResponse(responseCode = "200", description = "`healthy` or `degraded`")
    @ApiResponse(responseCode = "503", description = "`unhealthy`: Kafka unreachable, or the job state not loaded yet",
            content = @Content(schema = @Schema(implementation = HealthReport.class)))
    @GetMapping("/api/health")
    ResponseEntity<HealthReport> health() {
        HealthReport report = HealthReport.of(settings.instanceId(), kafka.check(), poolOrNull(pool), Instant.now());
        return ResponseEntity.status(report.status() == Level.UNHEALTHY ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
                .cacheControl(CacheControl.noStore())
                .body(report);
    }

    /** The live workers, or null while the worker status store (part of the job state) is not loaded. */
    static WorkerPool.Snapshot poolOrNull(WorkerPool pool) {
        try {
            return pool.now();
        } catch (JobStateLoading e) {
            return null;
        }
    }
}
