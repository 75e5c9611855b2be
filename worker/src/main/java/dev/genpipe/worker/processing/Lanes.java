package dev.genpipe.worker.processing;

import dev.genpipe.common.job.Priority;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The worker's priority lanes, one per request topic ({@code genpipe.jobs}: interactive, {@code genpipe.jobs.bulk}:
 * bulk), read by one consumer: a backlog each, in-flight places counted per lane, and the {@link Admission} rule that
 * says which backlog fills the next free place. A lane whose backlog holds records is paused (its partitions fetch
 * nothing more until it has started them), so no lane keeps more than one fetch's worth in memory, and a waiting
 * lane is always one that has records at hand for its next place.
 */
final class Lanes {

    /** A record that took an in-flight place, and the place. */
    record Admitted(ConsumerRecord<String, byte[]> record, Slot slot) {
    }

    private final Map<Priority, Lane> lanes = new EnumMap<>(Priority.class);
    private final Admission admission;

    Lanes(double bulkShare, MeterRegistry meters) {
        this.admission = new Admission(bulkShare);
        for (Priority priority : Priority.values()) {
            Lane lane = new Lane(priority);
            lanes.put(priority, lane);
            Gauge.builder("genpipe.worker.lane.jobs.in_flight", lane, Lane::inFlight).tag("lane", priority.wireName())
                    .description("jobs of this lane that this worker is processing now").register(meters);
            Gauge.builder("genpipe.worker.lane.backlog", lane, Lane::waiting).tag("lane", priority.wireName())
                    .description("records of this lane fetched by this worker and waiting for an in-flight place")
                    .register(meters);
        }
    }

    /** The topics to subscribe to, interactive first. */
    List<String> topics() {
        return lanes.keySet().stream().map(Priority::topic).toList();
    }

    void add(ConsumerRecord<String, byte[]> record) {
        lane(record.topic()).add(record);
    }

    /** The next record to start within {@code bound} places, already holding its place; null when none may start. */
    Admitted next(int bound) {
        Lane interactive = lanes.get(Priority.INTERACTIVE);
        Lane bulk = lanes.get(Priority.BULK);
        Priority next = admission.next(bound, interactive.inFlight(), bulk.inFlight(), interactive.waits(),
                bulk.waits());
        return next == null ? null : lanes.get(next).start();
    }

    /** Whether records wait for a place in any lane. */
    boolean waits() {
        return lanes.values().stream().anyMatch(Lane::waits);
    }

    /** In-flight places taken, all lanes. */
    int inFlight() {
        return lanes.values().stream().mapToInt(Lane::inFlight).sum();
    }

    /**
     * The partitions of {@code assignment} to keep paused: those of every lane with records waiting, and all of them
     * when {@code admitNothing} (the breaker is OPEN).
     */
    Set<TopicPartition> toPause(Collection<TopicPartition> assignment, boolean admitNothing) {
        return assignment.stream().filter(p -> admitNothing || lane(p.topic()).waits()).collect(Collectors.toSet());
    }

    /** Forgets the waiting records of {@code partitions} (all when null). */
    void drop(Collection<TopicPartition> partitions) {
        lanes.values().forEach(lane -> lane.drop(partitions));
    }

    private Lane lane(String topic) {
        return lanes.get(Priority.ofTopic(topic).orElse(Priority.INTERACTIVE));
    }
}
