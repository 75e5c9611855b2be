package dev.genpipe.api.status;

import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.job.IllegalTransitionException;
import dev.genpipe.common.view.JobView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds a job's events into its {@link JobView} (the aggregation of the topology) and forwards every changed view.
 * An event the lifecycle refuses (a duplicate from an at-least-once worker) leaves the view as it is. Views not
 * updated for the result TTL are deleted and a tombstone is forwarded, so every instance's global store forgets them.
 */
final class JobViewFolder implements Processor<String, JobEvent, String, JobView> {

    private static final Logger log = LoggerFactory.getLogger(JobViewFolder.class);

    private final String storeName;
    private final Duration resultTtl;
    private ProcessorContext<String, JobView> context;
    private KeyValueStore<String, JobView> views;

    JobViewFolder(String storeName, Duration resultTtl) {
        this.storeName = storeName;
        this.resultTtl = resultTtl;
    }

    static Duration sweepInterval(Duration resultTtl) {
        Duration tenth = resultTtl.dividedBy(10);
        Duration min = Duration.ofSeconds(1);
        Duration max = Duration.ofMinutes(10);
        return tenth.compareTo(min) < 0 ? min : tenth.compareTo(max) > 0 ? max : tenth;
    }

    @Override
    public void init(ProcessorContext<String, JobView> context) {
        this.context = context;
        this.views = context.getStateStore(storeName);
        context.schedule(sweepInterval(resultTtl), PunctuationType.WALL_CLOCK_TIME, this::expire);
    }

    @Override
    public void process(Record<String, JobEvent> record) {
        if (record.key() == null || record.value() == null) {
            return;
        }
        JobView current = views.get(record.key());
        JobView next = fold(current, record.value());
        if (next != null && next != current) {
            views.put(record.key(), next);
            context.forward(record.withValue(next));
        }
    }

    static JobView fold(JobView current, JobEvent event) {
        try {
            return current == null ? JobView.of(event) : current.apply(event);
        } catch (IllegalTransitionException e) {
            log.debug("job {}: ignored {} event ({}); keeping {}", event.jobId(),
                    event.getClass().getSimpleName(), e.getMessage(), current == null ? "nothing" : current.status());
            return current;
        }
    }

    private void expire(long now) {
        long cutoff = now - resultTtl.toMillis();
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, JobView> all = views.all()) {
            while (all.hasNext()) {
                KeyValue<String, JobView> entry = all.next();
                if (entry.value == null || entry.value.updatedAt().toEpochMilli() < cutoff) {
                    expired.add(entry.key);
                }
            }
        }
        for (String key : expired) {
            views.delete(key);
            context.forward(new Record<>(key, null, now));
        }
        if (!expired.isEmpty()) {
            log.debug("expired {} job views older than {}", expired.size(), resultTtl);
        }
    }
}
