package dev.genpipe.api.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.common.event.JobDelta;
import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.event.JobQueued;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.job.ExplanationInput;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.view.JobView;
import dev.genpipe.common.view.SequencedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fold is idempotent under Kafka Streams' at-least-once replay (docs/design.md, "Job state"). */
class JobViewFolderTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    private final JobId id = JobId.random();
    private final MockProcessorContext<String, JobView> context = new MockProcessorContext<>();
    private final JobViewFolder folder = new JobViewFolder(JobStateTopology.FOLD_STORE, Duration.ofDays(1));

    @BeforeEach
    void setUp() {
        KeyValueStore<String, FoldedView> store = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore(JobStateTopology.FOLD_STORE), Serdes.String(),
                        JsonSerde.of(FoldedView.class))
                .withLoggingDisabled().build();
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        folder.init(context);
    }

    @Test
    void eventsHandedOverAgainAfterACrashAreNotAppliedTwiceButTheViewIsForwardedAgain() {
        JobRequested request = new JobRequested(id, new ExplanationInput("Rust", "Ownership", "beginner"), T0);
        fold(0, JobQueued.of(request));
        fold(1, new JobStarted(id, T0.plusMillis(10), "worker-1"));
        fold(2, new JobDelta(id, T0.plusMillis(20), "Own"));
        JobView beforeCrash = lastForwarded();
        assertThat(beforeCrash.lastSeq()).isEqualTo(3);

        // the store already holds offsets 1 and 2 (its changelog was written), the input offsets were not committed
        fold(1, new JobStarted(id, T0.plusMillis(10), "worker-1"));
        fold(2, new JobDelta(id, T0.plusMillis(20), "Own"));
        assertThat(context.forwarded()).hasSize(5);
        assertThat(context.forwarded().subList(3, 5)).allSatisfy(f -> assertThat(f.record().value())
                .isEqualTo(beforeCrash)); // no invented "worker lost" retry, no doubled delta: the same snapshot

        fold(3, new JobDelta(id, T0.plusMillis(30), "ership"));
        fold(4, new JobSucceeded(id, T0.plusMillis(40), new JobResult.Explanation("Ownership"), false, null, "m"));
        JobView done = lastForwarded();
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.events()).extracting(SequencedEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(done.events().stream().map(SequencedEvent::event).filter(JobDelta.class::isInstance)
                .map(e -> ((JobDelta) e).text()).toList()).isEqualTo(List.of("Own", "ership"));
    }

    @Test
    void aRefusedDuplicateFromAWorkerChangesNothingAndIsNotForwarded() {
        JobRequested request = new JobRequested(id, new ExplanationInput("Rust", "Ownership", "beginner"), T0);
        fold(0, JobQueued.of(request));
        fold(1, new JobStarted(id, T0.plusMillis(10), "worker-1"));
        fold(2, new JobSucceeded(id, T0.plusMillis(40), new JobResult.Explanation("x"), false, null, "m"));
        int forwarded = context.forwarded().size();

        fold(3, new JobSucceeded(id, T0.plusMillis(50), new JobResult.Explanation("y"), false, null, "m"));
        assertThat(context.forwarded()).hasSize(forwarded);
        fold(3, new JobSucceeded(id, T0.plusMillis(50), new JobResult.Explanation("y"), false, null, "m"));
        assertThat(context.forwarded()).hasSize(forwarded + 1); // a replay of a seen offset re-forwards the snapshot
        assertThat(lastForwarded().result()).isEqualTo(new JobResult.Explanation("x"));
    }

    private void fold(long offset, JobEvent event) {
        context.setRecordMetadata(Topics.JOB_EVENTS, 0, offset);
        folder.process(new Record<>(id.toString(), event, event.at().toEpochMilli()));
    }

    private JobView lastForwarded() {
        return context.forwarded().getLast().record().value();
    }
}
