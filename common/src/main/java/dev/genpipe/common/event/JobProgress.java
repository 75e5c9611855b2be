package dev.genpipe.common.event;

import dev.genpipe.common.job.JobStatus;

/** An event about a RUNNING job that does not change its state (the lifecycle allows it only while RUNNING). */
public sealed interface JobProgress extends JobEvent permits JobPlanned, SectionCompleted, JobDelta {

    @Override
    default JobStatus status() {
        return JobStatus.RUNNING;
    }
}
