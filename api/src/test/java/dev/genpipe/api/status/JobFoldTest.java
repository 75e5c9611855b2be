package dev.genpipe.api.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.common.event.JobCancelled;
import dev.genpipe.common.event.JobDelta;
import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.event.JobPlanned;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.event.SectionCompleted;
import dev.genpipe.common.job.ExplanationInput;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.PresentationInput;
import dev.genpipe.common.job.SubtopicsInput;
import dev.genpipe.common.job.TokenUsage;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.common.kafka.WireSerializer;
import dev.genpipe.common.view.SequencedEvent;
import dev.genpipe.common.view.Timeline;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API's job-state fold, fed records as Kafka hands them over (topic, partition, offset, bytes). */
class JobFoldTest {

    private static final WireSerializer WIRE = new WireSerializer();

    private final JobUpdates updates = new JobUpdates();
    private final JobFold fold = new JobFold(Duration.ofMinutes(10), 1000, updates);
    private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private long requestOffset;
    private long eventOffset;

    @Test
    void ignoresAReplayedEvent() {
        JobRequested request = new JobRequested(JobId.random(), new ExplanationInput("Rust", "Ownership"), t0, "c");
        request(request);
        event(new JobStarted(request.jobId(), t0.plusMillis(1), "w"));
        long deltaOffset = eventOffset;
        event(new JobDelta(request.jobId(), t0.plusMillis(2), "Own"));
        event(new JobDelta(request.jobId(), t0.plusMillis(3), "ership"));

        // the same delta handed over again (a fetch repeated after a reconnect) changes nothing
        assertThat(fold.accept(Topics.JOB_EVENTS, 0, deltaOffset,
                WIRE.serialize(Topics.JOB_EVENTS, new JobDelta(request.jobId(), t0.plusMillis(2), "Own")))).isFalse();
        event(new JobSucceeded(request.jobId(), t0.plusMillis(4), new JobResult.Explanation("Ownership"), false,
                TokenUsage.of(3, 4), "m"));

        Timeline timeline = fold.timeline(request.jobId());
        assertThat(timeline.events()).extracting(SequencedEvent::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(timeline.events().stream().map(SequencedEvent::event).filter(JobDelta.class::isInstance)
                .map(e -> ((JobDelta) e).text())).containsExactly("Own", "ership");
        assertThat(timeline.view().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(fold.tokens("c", LocalDate.ofInstant(t0.plusMillis(4), ZoneOffset.UTC))).isEqualTo(7);
    }

    @Test
    void aSecondTerminalEventIsRefusedAndCountsNoUsageTwice() {
        JobRequested request = new JobRequested(JobId.random(), new SubtopicsInput("Tea"), t0, "c");
        request(request);
        event(new JobStarted(request.jobId(), t0, "w"));
        JobSucceeded succeeded = new JobSucceeded(request.jobId(), t0, new JobResult.Subtopics(List.of("a")), false,
                TokenUsage.of(5, 5), "m");
        event(succeeded);
        event(succeeded); // a worker that died after publishing, before committing: its successor publishes again

        assertThat(fold.timeline(request.jobId()).events()).hasSize(3);
        assertThat(fold.tokens("c", LocalDate.ofInstant(t0, ZoneOffset.UTC))).isEqualTo(10);
    }

    @Test
    void foldsAPresentationsSectionsIntoItWithoutAFanInRecord() {
        JobRequested presentation = new JobRequested(JobId.random(), new PresentationInput("Tea", 2, null), t0, "c");
        request(presentation);
        event(new JobStarted(presentation.jobId(), t0, "w"));
        List<JobId> sections = List.of(JobRequested.childId(presentation.jobId(), 0),
                JobRequested.childId(presentation.jobId(), 1));
        event(new JobPlanned(presentation.jobId(), t0, List.of("Green", "Black"), sections));

        // the plan queued both sections, owned by the presentation's client
        for (JobId section : sections) {
            assertThat(fold.timeline(section).view().status()).isEqualTo(JobStatus.QUEUED);
            assertThat(fold.timeline(section).view().request().clientId()).isEqualTo("c");
        }
        List<String> published = new ArrayList<>();
        updates.subscribe(presentation.jobId(), t -> published.add(t.view().status().name()));
        for (int i = 1; i >= 0; i--) {
            event(new JobStarted(sections.get(i), t0, "w"));
            event(new JobSucceeded(sections.get(i), t0.plusSeconds(1), new JobResult.Explanation("text " + i),
                    false, TokenUsage.of(1, 1), "m"));
        }
        Timeline timeline = fold.timeline(presentation.jobId());
        assertThat(timeline.view().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(((JobResult.Presentation) timeline.view().result()).sections())
                .extracting(s -> s.markdown()).containsExactly("text 0", "text 1");
        assertThat(timeline.events()).extracting(e -> e.event().getClass().getSimpleName())
                .containsExactly("JobQueued", "JobStarted", "JobPlanned", "SectionCompleted", "SectionCompleted",
                        "JobSucceeded");
        assertThat(((SectionCompleted) timeline.events().get(4).event()).completed()).isEqualTo(2);
        assertThat(published).containsExactly("RUNNING", "SUCCEEDED");
        assertThat(timeline.view().usage().totalTokens()).isEqualTo(4);
        assertThat(fold.tokens("c", LocalDate.ofInstant(t0.plusSeconds(1), ZoneOffset.UTC)))
                .as("sections are billed, not the presentation").isEqualTo(4);
        // the sections' own requests on genpipe.jobs arrive later: nothing changes
        request(JobRequested.child(presentation, 0, new ExplanationInput("Tea", "Green"), t0));
        assertThat(fold.timeline(sections.get(0)).events()).hasSize(3);
    }

    @Test
    void aCancelledPresentationCancelsItsUnfinishedSections() {
        JobRequested presentation = new JobRequested(JobId.random(), new PresentationInput("Tea", 2, null), t0, "c");
        request(presentation);
        event(new JobStarted(presentation.jobId(), t0, "w"));
        List<JobId> sections = List.of(JobRequested.childId(presentation.jobId(), 0),
                JobRequested.childId(presentation.jobId(), 1));
        event(new JobPlanned(presentation.jobId(), t0, List.of("Green", "Black"), sections));
        event(new JobStarted(sections.get(0), t0, "w"));
        event(new JobSucceeded(sections.get(0), t0, new JobResult.Explanation("x"), false, TokenUsage.NONE, "m"));

        event(new JobCancelled(presentation.jobId(), t0.plusSeconds(1), "cancelled by the client"));
        event(new JobStarted(sections.get(1), t0.plusSeconds(2), "w")); // a worker that had not heard yet

        assertThat(fold.timeline(presentation.jobId()).view().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(fold.timeline(sections.get(0)).view().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(fold.timeline(sections.get(1)).view().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(fold.timeline(presentation.jobId()).events()).extracting(e -> e.event().getClass().getSimpleName())
                .containsExactly("JobQueued", "JobStarted", "JobPlanned", "SectionCompleted", "JobCancelled");
    }

    @Test
    void forgetsFinishedJobsAfterTheTtlInTheOrderTheyEndedAndKeepsUnfinishedOnes() {
        JobRequested done = new JobRequested(JobId.random(), new SubtopicsInput("A"), t0, "c");
        JobRequested running = new JobRequested(JobId.random(), new SubtopicsInput("B"), t0, "c");
        request(done);
        request(running);
        event(new JobStarted(done.jobId(), t0, "w"));
        event(new JobSucceeded(done.jobId(), t0, new JobResult.Subtopics(List.of("a")), true, TokenUsage.NONE, "m"));
        event(new JobStarted(running.jobId(), t0, "w"));

        assertThat(fold.expire(t0.plus(Duration.ofMinutes(9)))).isZero();
        assertThat(fold.expire(t0.plus(Duration.ofMinutes(11)))).isEqualTo(1);
        assertThat(fold.timeline(done.jobId())).isNull();
        assertThat(fold.timeline(running.jobId())).isNotNull();
    }

    @Test
    void keepsAtMostMaxJobsByForgettingTheOldestFinishedFirst() {
        JobFold small = new JobFold(Duration.ofDays(1), 2, updates);
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            JobRequested request = new JobRequested(JobId.random(), new SubtopicsInput("T" + i), t0, "c");
            ids.add(request.jobId());
            small.accept(Topics.JOBS, 0, i, WIRE.serialize(Topics.JOBS, request));
            small.accept(Topics.JOB_EVENTS, 0, 2L * i, WIRE.serialize(Topics.JOB_EVENTS,
                    new JobStarted(request.jobId(), t0, "w")));
            small.accept(Topics.JOB_EVENTS, 0, 2L * i + 1, WIRE.serialize(Topics.JOB_EVENTS, new JobSucceeded(
                    request.jobId(), t0.plusMillis(i), new JobResult.Subtopics(List.of("a")), true, TokenUsage.NONE,
                    "m")));
        }
        small.expire(t0);
        assertThat(small.size()).isEqualTo(2);
        assertThat(small.evicted()).isEqualTo(2);
        assertThat(small.timeline(ids.get(0))).isNull();
        assertThat(small.timeline(ids.get(3))).isNotNull();
    }

    @Test
    void aRecordCountsAsFoldedOnlyOnceEverythingItChangesIsVisible() {
        // another thread (the webhook dispatcher) waits for folded() and then reads the views: it must never see the
        // record counted while its effects are still being applied (the section's end, then its presentation's)
        JobRequested presentation = new JobRequested(JobId.random(), new PresentationInput("Tea", 1, null), t0, "c");
        request(presentation);
        event(new JobStarted(presentation.jobId(), t0, "w"));
        JobId section = JobRequested.childId(presentation.jobId(), 0);
        event(new JobPlanned(presentation.jobId(), t0, List.of("Green"), List.of(section)));
        event(new JobStarted(section, t0, "w"));
        long terminal = eventOffset;
        List<Boolean> foldedWhileApplying = new ArrayList<>();
        updates.subscribe(section, t -> foldedWhileApplying.add(fold.folded(Topics.JOB_EVENTS, 0, terminal)));
        updates.subscribe(presentation.jobId(),
                t -> foldedWhileApplying.add(fold.folded(Topics.JOB_EVENTS, 0, terminal)));
        assertThat(fold.folded(Topics.JOB_EVENTS, 0, terminal)).isFalse();

        event(new JobSucceeded(section, t0, new JobResult.Explanation("x"), false, TokenUsage.NONE, "m"));

        assertThat(foldedWhileApplying).hasSizeGreaterThanOrEqualTo(2).containsOnly(false);
        assertThat(fold.folded(Topics.JOB_EVENTS, 0, terminal)).isTrue();
        assertThat(fold.timeline(presentation.jobId()).view().status()).isEqualTo(JobStatus.SUCCEEDED);
        // an unreadable record counts as folded too (there is nothing to wait for)
        assertThat(fold.accept(Topics.JOB_EVENTS, 0, eventOffset, "not json".getBytes())).isFalse();
        assertThat(fold.folded(Topics.JOB_EVENTS, 0, eventOffset)).isTrue();
    }

    @Test
    void skipsUnreadableRecords() {
        assertThat(fold.accept(Topics.JOB_EVENTS, 0, 0, "not json".getBytes())).isFalse();
        assertThat(fold.accept(Topics.JOB_EVENTS, 0, 1, null)).isFalse();
        assertThat(fold.size()).isZero();
    }

    private void request(JobRequested request) {
        assertThat(fold.accept(Topics.JOBS, 0, requestOffset++, WIRE.serialize(Topics.JOBS, request))).isTrue();
    }

    private void event(JobEvent event) {
        fold.accept(Topics.JOB_EVENTS, 0, eventOffset++, WIRE.serialize(Topics.JOB_EVENTS, event));
    }
}
