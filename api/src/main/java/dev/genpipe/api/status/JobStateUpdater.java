package dev.genpipe.api.status;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.view.JobView;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global store of job views up to date from {@code genpipe.job-state} (the views as written, bytes) and
 * tells the hub, decoding a view only when somebody listens to its job. Kafka Streams 4.1 also runs this processor
 * when it restores the store at start-up (StreamsBuilder#addGlobalStore reprocesses on restore); nobody listens then.
 */
final class JobStateUpdater implements Processor<String, byte[], Void, Void> {

    static final JsonSerde<JobView> VIEWS = JsonSerde.of(JobView.class);

    private final String storeName;
    private final JobUpdates updates;
    private KeyValueStore<String, byte[]> views;

    JobStateUpdater(String storeName, JobUpdates updates) {
        this.storeName = storeName;
        this.updates = updates;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        views = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            views.delete(record.key());
            return;
        }
        views.put(record.key(), record.value());
        if (updates.listening(record.key())) {
            updates.publish(VIEWS.deserialize(Topics.JOB_STATE, record.value()));
        }
    }
}
