package dev.genpipe.api.jobs;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The job could not be written to Kafka (the transaction was aborted): 503, nothing was accepted. */
class KafkaUnavailable extends ErrorResponseException {

    KafkaUnavailable(Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "Kafka is unreachable; the job was not accepted, retry later"), cause);
        getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
    }
}
