package dev.genpipe.api.status;

import dev.genpipe.common.pool.WorkerStatus;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the latest heartbeat of each worker from {@code genpipe.worker-status}. Heartbeats are full snapshots; one
 * older than the stored one (a worker's publisher raced itself) is ignored.
 */
final class WorkerStatusUpdater implements Processor<String, WorkerStatus, Void, Void> {

    private final String storeName;
    private KeyValueStore<String, WorkerStatus> statuses;

    WorkerStatusUpdater(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        statuses = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, WorkerStatus> record) {
        if (record.key() == null) {
            return;
        }
        WorkerStatus next = record.value();
        if (next == null) {
            statuses.delete(record.key());
            return;
        }
        if (next.at() == null || next.heartbeat() == null) {
            return; // cannot tell whether the worker is alive: not a usable heartbeat
        }
        WorkerStatus current = statuses.get(record.key());
        if (current == null || !next.at().isBefore(current.at())) {
            statuses.put(record.key(), next);
        }
    }
}
