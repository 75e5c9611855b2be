package dev.genpipe.api.status;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Readiness: an instance without its job state store cannot answer status reads. Health name: {@code kafkaStreams}. */
@Component
class KafkaStreamsHealthIndicator implements HealthIndicator {

    private final JobStateStreams streams;

    KafkaStreamsHealthIndicator(JobStateStreams streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        Health.Builder health = streams.ready() ? Health.up() : Health.down();
        return health.withDetail("state", streams.state().name()).build();
    }
}
