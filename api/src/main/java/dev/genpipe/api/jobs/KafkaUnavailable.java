package dev.genpipe.api.jobs;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Kafka did not acknowledge the job (or cancellation) within {@code genpipe.api.submit-timeout}: 503 with
 * {@code Retry-After}. The job is not accepted; a record that was already on its way may still be written, so a client
 * that retries with the same {@code Idempotency-Key} gets that same job, never a second one.
 */
class KafkaUnavailable extends ErrorResponseException {

    static final String DETAIL = "Kafka did not acknowledge the job in time; it is not accepted (though it may still be"
            + " written): retry later, with the same Idempotency-Key to get the same job";

    KafkaUnavailable(Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                DETAIL), cause);
        getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
    }
}
