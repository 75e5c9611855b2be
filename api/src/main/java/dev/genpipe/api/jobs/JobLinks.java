package dev.genpipe.api.jobs;

import dev.genpipe.common.job.JobId;

/** Where to poll a job and where to listen to it. */
record JobLinks(String self, String events) {

    static JobLinks of(JobId jobId) {
        String self = JobController.PATH + "/" + jobId;
        return new JobLinks(self, self + "/events");
    }
}
