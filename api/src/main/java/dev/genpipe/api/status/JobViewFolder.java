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
 *
 * <p>Idempotent under replay: Kafka Streams runs at-least-once, so after a crash it may hand over again events whose
 * effect is already in the (changelogged) store, while the outputs they caused may or may not have been written. An
 * event at or below the {@link FoldedView#offset() offset already folded} is not applied again; the current view is
 * forwarded once more instead (outputs are snapshots, and a presentation counts each section once).
 */
final class JobViewFolder implements Processor<String, JobEvent, String, JobView> {

    private static final Logger log = LoggerFactory.getLogger(JobViewFolder.class);

    private final String storeName;
    private final Duration resultTtl;
    private ProcessorContext<String, JobView> context;
    private KeyValueStore<String, FoldedView> views;

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
        FoldedView folded = views.get(record.key());
        JobView current = folded == null ? null : folded.view();
        long offset = context.recordMetadata().map(m -> m.offset()).orElse(-1L);
        if (folded != null && offset >= 0 && offset <= folded.offset()) {
            log.debug("job {}: event at offset {} was folded already (replay after a restart)", record.key(), offset);
            context.forward(record.withValue(current));
            return;
        }
        JobView next = fold(current, record.value());
        if (next != null && next != current) {
            views.put(record.key(), new FoldedView(offset, next));
            context.forward(record.withValue(next));
        } else if (folded != null && offset > folded.offset()) {
            views.put(record.key(), new FoldedView(offset, current)); // refused, but seen
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
        try (KeyValueIterator<String, FoldedView> all = views.all()) {
            while (all.hasNext()) {
                KeyValue<String, FoldedView> entry = all.next();
                if (entry.value == null || entry.value.view().updatedAt().toEpochMilli() < cutoff) {
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
