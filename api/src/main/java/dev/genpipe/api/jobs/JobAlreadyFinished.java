package dev.genpipe.api.jobs;

import dev.genpipe.common.job.JobStatus;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 409: a finished job cannot be cancelled. */
class JobAlreadyFinished extends ErrorResponseException {

    JobAlreadyFinished(JobStatus status) {
        super(HttpStatus.CONFLICT, ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "the job already ended (" + status + "); there is nothing to cancel"), null);
    }
}
