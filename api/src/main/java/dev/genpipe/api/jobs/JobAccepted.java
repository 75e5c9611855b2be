package dev.genpipe.api.jobs;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.JobStatus;

/** The 202 body of {@code POST /api/jobs}. */
record JobAccepted(String jobId, JobStatus status, JobLinks links) {

    static JobAccepted of(JobId jobId) {
        return new JobAccepted(jobId.toString(), JobStatus.QUEUED, JobLinks.of(jobId));
    }
}
