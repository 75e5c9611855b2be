package dev.genpipe.api.jobs;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** An {@code Idempotency-Key} used again with a different request. */
class IdempotencyConflict extends ErrorResponseException {

    IdempotencyConflict() {
        super(HttpStatus.UNPROCESSABLE_CONTENT, problem(), null);
    }

    private static ProblemDetail problem() {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                "this Idempotency-Key was already used for a different request; use a new key for a new request");
        problem.setTitle("Idempotency-Key reused");
        return problem;
    }
}
