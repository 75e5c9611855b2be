package dev.genpipe.common;

import dev.genpipe.common.job.ExplanationInput;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.job.SubtopicsInput;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

final class JobFixtures {

    private JobFixtures() {
    }

    static JobRequested aSubtopicsRequest(String topic) {
        return new JobRequested(JobId.random(), new SubtopicsInput(topic), Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    static JobRequested anExplanationRequest(String topic, String subtopic) {
        return new JobRequested(JobId.random(), new ExplanationInput(topic, subtopic),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }
}
