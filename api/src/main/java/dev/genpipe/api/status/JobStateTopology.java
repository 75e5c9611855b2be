package dev.genpipe.api.status;

import dev.genpipe.common.event.SectionCompleted;
import dev.genpipe.common.job.ExplanationInput;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.JobType;
import dev.genpipe.common.job.Section;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.pool.WorkerStatus;
import dev.genpipe.common.view.JobView;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * The job state topology, and the worker pool's view.
 * <pre>
 * genpipe.job-events ──fold (store "job-views", changelogged)──▶ genpipe.job-state ──▶ global store "job-state" (bytes)
 * genpipe.worker-status ──▶ global store "worker-status" (latest heartbeat per worker)
 * fold ──(a job SUCCEEDED with uncached usage)──▶ key client|day ──sum──▶ genpipe.client-usage ──▶ global store
 *     "client-usage" (Gemini tokens per client and UTC day: the daily budget)
 * </pre>
 * The fold is partitioned across the API instances (one application id); the global stores hold every job and every
 * worker's latest status on every instance, so any instance answers for any job or worker and a restarted one rebuilds
 * them from the compacted topics.
 */
final class JobStateTopology {

    static final String FOLD_STORE = "job-views";
    static final String GLOBAL_STORE = "job-state";
    static final String WORKER_STORE = "worker-status";
    static final String USAGE_STORE = "client-usage";
    static final String USAGE_SUM_STORE = "client-usage-sum";

    private JobStateTopology() {
    }

    static Topology build(Duration resultTtl, JobUpdates updates) {
        JsonSerde<JobView> views = JsonSerde.of(JobView.class);
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(FOLD_STORE), Serdes.String(), JsonSerde.of(FoldedView.class)));
        KStream<String, JobView> folded = builder.stream(Topics.JOB_EVENTS,
                        Consumed.with(Serdes.String(), JsonSerde.of(JobEvent.class)).withName("job-events"))
                .process(() -> new JobViewFolder(FOLD_STORE, resultTtl), Named.as("fold-job-views"), FOLD_STORE);
        folded.to(Topics.JOB_STATE, Produced.with(Serdes.String(), views).withName("job-state-out"));
        // fan-in: a presentation's section job that ended becomes a "section" event of the presentation (written back
        // to the events topic, exactly once with the fold's state); the presentation's fold completes it
        folded.filter((id, view) -> view != null && view.status().isTerminal() && view.request() != null
                        && view.request().parentId() != null, Named.as("ended-sections"))
                .map((id, view) -> KeyValue.pair(view.request().parentId().toString(), (JobEvent) sectionOf(view)),
                        Named.as("section-of-presentation"))
                .to(Topics.JOB_EVENTS, Produced.with(Serdes.String(), JsonSerde.of(JobEvent.class))
                        .withName("presentation-sections-out"));
        // the fold forwards a view only when it changed, so a job's SUCCEEDED view passes here once
        folded.filter((id, view) -> view != null && view.status() == JobStatus.SUCCEEDED && !view.cached()
                        && view.request() != null && view.request().type() != JobType.PRESENTATION // its sections count
                        && view.usage() != null && view.request() != null && view.request().clientId() != null,
                        Named.as("billable-jobs"))
                .map((id, view) -> KeyValue.pair(usageKey(view.request().clientId(),
                        LocalDate.ofInstant(view.finishedAt(), ZoneOffset.UTC)), (long) view.usage().totalTokens()),
                        Named.as("usage-by-client-day"))
                .groupByKey(Grouped.with("client-usage", Serdes.String(), Serdes.Long()))
                .reduce(Long::sum, Materialized.<String, Long>as(Stores.inMemoryKeyValueStore(USAGE_SUM_STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()))
                .toStream(Named.as("client-usage-changes"))
                .to(Topics.CLIENT_USAGE, Produced.with(Serdes.String(), Serdes.Long()).withName("client-usage-out"));
        builder.globalTable(Topics.CLIENT_USAGE, Consumed.with(Serdes.String(), Serdes.Long()).withName("client-usage-in"),
                Materialized.<String, Long>as(Stores.inMemoryKeyValueStore(USAGE_STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.Long()));
        // the global store keeps each view as written (bytes): nothing is re-serialized on the way in, and a view
        // is decoded only when somebody reads it or listens to its job
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(GLOBAL_STORE), Serdes.String(),
                                Serdes.ByteArray())
                        .withLoggingDisabled(),
                Topics.JOB_STATE,
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("job-state-in"),
                () -> new JobStateUpdater(GLOBAL_STORE, updates));
        JsonSerde<WorkerStatus> statuses = JsonSerde.of(WorkerStatus.class);
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(WORKER_STORE), Serdes.String(), statuses)
                        .withLoggingDisabled(),
                Topics.WORKER_STATUS,
                Consumed.with(Serdes.String(), statuses).withName("worker-status-in"),
                () -> new WorkerStatusUpdater(WORKER_STORE));
        return builder.build();
    }

    static String usageKey(String clientId, LocalDate day) {
        return clientId + "|" + day;
    }

    static SectionCompleted sectionOf(JobView child) {
        JobRequested request = child.request();
        String subtopic = request.input() instanceof ExplanationInput e ? e.subtopic() : null;
        String markdown = child.result() instanceof JobResult.Explanation e ? e.markdown() : null;
        String error = child.status() == JobStatus.SUCCEEDED ? null
                : (child.errorCode() == null ? "" : child.errorCode() + ": ") + child.error();
        Section section = new Section(request.section() == null ? 0 : request.section(), subtopic, child.jobId(),
                child.status(), markdown, error);
        return SectionCompleted.of(request.parentId(), child.finishedAt(), section,
                child.cached() ? null : child.usage());
    }
}
