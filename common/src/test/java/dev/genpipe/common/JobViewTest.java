package dev.genpipe.common;

import static dev.genpipe.common.JobFixtures.aSubtopicsRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genpipe.common.event.JobQueued;
import dev.genpipe.common.event.JobRequeued;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.event.JobWebhook;
import dev.genpipe.common.job.IllegalTransitionException;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.JobStatus;
import dev.genpipe.common.job.TokenUsage;
import dev.genpipe.common.job.Webhook;
import dev.genpipe.common.view.JobView;
import dev.genpipe.common.view.Timeline;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobViewTest {

    private final JobRequested request = aSubtopicsRequest("Photosynthesis");
    private final Instant t0 = request.requestedAt();

    @Test
    void foldsEventsIntoTheCurrentState() {
        Timeline timeline = Timeline.of(JobQueued.of(request));
        timeline.apply(new JobStarted(request.jobId(), t0.plusSeconds(1), "w1"));
        timeline.apply(new JobSucceeded(request.jobId(), t0.plusSeconds(2),
                new JobResult.Subtopics(List.of("a", "b")), false, TokenUsage.of(10, 20), "m"));
        JobView view = timeline.view();

        assertThat(view.seq()).isEqualTo(3);
        assertThat(view.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(view.attempts()).isEqualTo(1);
        assertThat(view.startedAt()).isEqualTo(t0.plusSeconds(1));
        assertThat(view.finishedAt()).isEqualTo(t0.plusSeconds(2));
        assertThat(view.usage().totalTokens()).isEqualTo(30);
        assertThat(timeline.events()).extracting(e -> e.seq()).containsExactly(1L, 2L, 3L);
        assertThat(timeline.eventsAfter(2)).singleElement().satisfies(e -> assertThat(e.seq()).isEqualTo(3));
        assertThat(timeline.eventsAfter(3)).isEmpty();
    }

    @Test
    void aSecondStartWhileRunningRecordsTheLostAttempt() {
        Timeline timeline = Timeline.of(JobQueued.of(request));
        timeline.apply(new JobStarted(request.jobId(), t0.plusSeconds(1), "w1"));
        timeline.apply(new JobStarted(request.jobId(), t0.plusSeconds(9), "w2"));
        JobView view = timeline.view();

        assertThat(view.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(view.attempts()).isEqualTo(2);
        assertThat(timeline.events()).extracting(e -> e.event().getClass().getSimpleName())
                .containsExactly("JobQueued", "JobStarted", "JobRequeued", "JobStarted");
        assertThat(((JobRequeued) timeline.events().get(2).event()).reason()).isEqualTo(JobRequeued.WORKER_LOST);
        assertThat(view.seq()).isEqualTo(4);
    }

    @Test
    void numbersTheQueuedEventOneEvenWhenItsRequestArrivesAfterTheRest() {
        Timeline timeline = Timeline.unknown(request.jobId(), t0.plusSeconds(1));
        timeline.apply(new JobStarted(request.jobId(), t0.plusSeconds(1), "w1"));
        assertThat(timeline.view().request()).isNull();
        assertThat(timeline.view().status()).isEqualTo(JobStatus.RUNNING);

        timeline.apply(JobQueued.of(request));
        assertThat(timeline.apply(JobQueued.of(request))).as("a repeated request is refused").isEmpty();

        assertThat(timeline.view().request()).isEqualTo(request);
        assertThat(timeline.view().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(timeline.events()).extracting(e -> e.seq() + ":" + e.event().getClass().getSimpleName())
                .containsExactly("1:JobQueued", "2:JobStarted");
    }

    @Test
    void refusesToLeaveATerminalState() {
        JobView done = JobView.of(JobQueued.of(request))
                .apply(new JobStarted(request.jobId(), t0, "w1"))
                .apply(new JobSucceeded(request.jobId(), t0, new JobResult.Explanation("x"), true, TokenUsage.NONE, "m"));

        assertThatThrownBy(() -> done.apply(new JobStarted(request.jobId(), t0, "w2")))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void aWebhookReportIsNotedOnAFinishedJobOutsideItsHistory() {
        Timeline timeline = Timeline.of(JobQueued.of(request));
        timeline.apply(new JobStarted(request.jobId(), t0.plusSeconds(1), "w1"));
        assertThat(timeline.note(report(1, Webhook.State.RETRYING))).as("not on a running job").isFalse();
        timeline.apply(new JobSucceeded(request.jobId(), t0.plusSeconds(2),
                new JobResult.Subtopics(List.of("a")), false, null, "m"));

        assertThat(timeline.note(report(1, Webhook.State.RETRYING))).isTrue();
        assertThat(timeline.note(report(2, Webhook.State.DELIVERED))).isTrue();
        assertThat(timeline.note(report(2, Webhook.State.RETRYING))).as("stale").isFalse();
        assertThat(timeline.apply(new JobWebhook(request.jobId(), t0, JobStatus.SUCCEEDED,
                new Webhook(3, 200, null, Webhook.State.DELIVERED, t0)))).as("never history").isEmpty();

        JobView view = timeline.view();
        assertThat(view.webhook().attempts()).isEqualTo(2);
        assertThat(view.webhook().state()).isEqualTo(Webhook.State.DELIVERED);
        assertThat(view.seq()).isEqualTo(3);
        assertThat(timeline.events()).hasSize(3);
    }

    private JobWebhook report(int attempts, Webhook.State state) {
        return new JobWebhook(request.jobId(), t0.plusSeconds(3), JobStatus.SUCCEEDED,
                new Webhook(attempts, state == Webhook.State.DELIVERED ? 200 : 500, null, state, t0.plusSeconds(3)));
    }
}
