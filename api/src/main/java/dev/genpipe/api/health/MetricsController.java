package dev.genpipe.api.health;

import dev.genpipe.api.pool.WorkerPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/metrics}: public; always 200 (while the worker store loads, the pool part is empty). */
@RestController
@Tag(name = "health")
class MetricsController {

    private final MeterRegistry registry;
    private final WorkerPool pool;

    MetricsController(MeterRegistry registry, WorkerPool pool) {
        this.registry = registry;
        this.pool = pool;
    }

    @Operation(summary = "The original app's metrics summary: jobs by type, streams, cache, breakers, in flight")
    @GetMapping("/api/metrics")
    ResponseEntity<MetricsReport> metrics() {
        return ResponseEntity.ok().cacheControl(CacheControl.noStore())
                .body(MetricsReport.of(registry, HealthController.poolOrNull(pool), Instant.now()));
    }
}
