package dev.genpipe.api.status;

import dev.genpipe.common.view.JobView;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global store of job views up to date from {@code genpipe.job-state} and tells the hub. Kafka Streams 4.1
 * also runs this processor when it restores the store at start-up (StreamsBuilder#addGlobalStore reprocesses on
 * restore), so the hub hears about restored jobs too; nobody listens then, and values are full snapshots either way.
 */
final class JobStateUpdater implements Processor<String, JobView, Void, Void> {

    private final String storeName;
    private final JobUpdates updates;
    private KeyValueStore<String, JobView> views;

    JobStateUpdater(String storeName, JobUpdates updates) {
        this.storeName = storeName;
        this.updates = updates;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        views = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, JobView> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            views.delete(record.key());
            return;
        }
        views.put(record.key(), record.value());
        updates.publish(record.value());
    }
}
