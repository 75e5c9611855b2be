package dev.genpipe.api.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 404 for an unknown job, and for any text that is not a job id (ids are opaque: never a 400). */
class JobNotFound extends ErrorResponseException {

    JobNotFound() {
        super(HttpStatus.NOT_FOUND, ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no such job"), null);
    }
}
