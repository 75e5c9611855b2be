package dev.genpipe.api.status;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Readiness: an instance that has not read the job state yet cannot answer status reads. Health name: {@code jobState}. */
@Component
class JobStateHealthIndicator implements HealthIndicator {

    private final JobStateReader reader;

    JobStateHealthIndicator(JobStateReader reader) {
        this.reader = reader;
    }

    @Override
    public Health health() {
        Health.Builder health = reader.ready() ? Health.up() : Health.down();
        return health.withDetail("state", reader.state()).withDetail("jobs", reader.fold().size()).build();
    }
}
