package dev.genpipe.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genpipe.common.event.JobCancelled;
import dev.genpipe.common.event.JobDelta;
import dev.genpipe.common.event.JobPlanned;
import dev.genpipe.common.event.JobQueued;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.SectionCompleted;
import dev.genpipe.common.job.IllegalTransitionException;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.PresentationInput;
import dev.genpipe.common.job.Section;
import dev.genpipe.common.job.TokenUsage;
import dev.genpipe.common.view.JobView;
import dev.genpipe.common.view.Timeline;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresentationViewTest {

    private final JobRequested request = new JobRequested(JobId.random(), new PresentationInput("Tides", 3),
            Instant.now(), "alice");
    private final JobId id = request.jobId();
    private final Instant t = request.requestedAt();
    private final List<JobId> sections = List.of(JobRequested.childId(id, 0), JobRequested.childId(id, 1),
            JobRequested.childId(id, 2));

    private JobView planned() {
        return JobView.of(JobQueued.of(request))
                .apply(new JobStarted(id, t, "w"))
                .apply(new JobPlanned(id, t, List.of("a", "b", "c"), sections));
    }

    private SectionCompleted done(int index, JobStatus status) {
        return SectionCompleted.of(id, t, new Section(index, "abc".substring(index, index + 1), sections.get(index),
                status, status == JobStatus.SUCCEEDED ? "text " + index : null, status == JobStatus.SUCCEEDED ? null
                : "boom"), TokenUsage.of(1, 2));
    }

    @Test
    void completesWhenTheLastSectionArrivesWithSectionsInSubtopicOrder() {
        Timeline timeline = Timeline.of(JobQueued.of(request));
        timeline.apply(new JobStarted(id, t, "w"));
        timeline.apply(new JobPlanned(id, t, List.of("a", "b", "c"), sections));
        timeline.apply(done(2, JobStatus.SUCCEEDED));
        timeline.apply(done(0, JobStatus.SUCCEEDED));
        JobView view = timeline.view();
        assertThat(view.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(((SectionCompleted) timeline.events().getLast().event()).completed()).isEqualTo(2);
        assertThat(((SectionCompleted) timeline.events().getLast().event()).total()).isEqualTo(3);

        view = view.apply(done(1, JobStatus.SUCCEEDED));

        assertThat(view.status()).isEqualTo(JobStatus.SUCCEEDED);
        JobResult.Presentation result = (JobResult.Presentation) view.result();
        assertThat(result.sections()).extracting(Section::index).containsExactly(0, 1, 2);
        assertThat(result.failedSections()).isZero();
        assertThat(view.usage().totalTokens()).isEqualTo(9);
    }

    @Test
    void marksFailedSectionsAndFailsOnlyWhenAllFailed() {
        JobView partial = planned().apply(done(0, JobStatus.SUCCEEDED)).apply(done(1, JobStatus.FAILED))
                .apply(done(2, JobStatus.SUCCEEDED));
        assertThat(partial.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(((JobResult.Presentation) partial.result()).failedSections()).isEqualTo(1);

        JobView none = planned().apply(done(0, JobStatus.FAILED)).apply(done(1, JobStatus.FAILED))
                .apply(done(2, JobStatus.FAILED));
        assertThat(none.status()).isEqualTo(JobStatus.FAILED);
        assertThat(none.errorCode()).isEqualTo("sections_failed");
    }

    @Test
    void ignoresRepeatsLatecomersAndDeltasOutsideRunning() {
        JobView view = planned().apply(done(0, JobStatus.SUCCEEDED));
        assertThatThrownBy(() -> view.apply(done(0, JobStatus.SUCCEEDED))).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> view.apply(new JobPlanned(id, t, List.of("x"), sections.subList(0, 1))))
                .isInstanceOf(IllegalTransitionException.class);
        JobView cancelled = view.apply(new JobCancelled(id, t, "by client"));
        assertThatThrownBy(() -> cancelled.apply(done(1, JobStatus.SUCCEEDED)))
                .isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> JobView.of(JobQueued.of(request)).apply(new JobDelta(id, t, "x")))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void sectionIdsDeriveFromThePresentation() {
        assertThat(JobRequested.childId(id, 1)).isEqualTo(JobRequested.childId(id, 1))
                .isNotEqualTo(JobRequested.childId(id, 2)).isNotEqualTo(JobRequested.childId(JobId.random(), 1));
    }
}
