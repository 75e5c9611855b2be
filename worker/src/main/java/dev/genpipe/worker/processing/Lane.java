package dev.genpipe.worker.processing;

import dev.genpipe.common.job.Priority;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One lane of a worker: its backlog (records fetched and not started yet, oldest first) and how many of its jobs hold
 * an in-flight place. The backlog belongs to the consumer loop's thread; the counts may be read from any thread.
 */
final class Lane {

    private final Priority priority;
    private final Deque<ConsumerRecord<String, byte[]>> backlog = new ArrayDeque<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile int waiting;

    Lane(Priority priority) {
        this.priority = priority;
    }

    Priority priority() {
        return priority;
    }

    void add(ConsumerRecord<String, byte[]> record) {
        backlog.add(record);
        waiting = backlog.size();
    }

    boolean waits() {
        return !backlog.isEmpty();
    }

    /** The oldest waiting record, now holding one of the lane's places (given back by its {@link Slot}). */
    Lanes.Admitted start() {
        ConsumerRecord<String, byte[]> record = backlog.poll();
        waiting = backlog.size();
        inFlight.incrementAndGet();
        return new Lanes.Admitted(record, new Slot(inFlight));
    }

    /** Forgets the waiting records of {@code partitions} (all when null): they are fetched again by their owner. */
    void drop(Collection<TopicPartition> partitions) {
        backlog.removeIf(r -> partitions == null || partitions.contains(new TopicPartition(r.topic(), r.partition())));
        waiting = backlog.size();
    }

    int inFlight() {
        return inFlight.get();
    }

    int waiting() {
        return waiting;
    }
}
