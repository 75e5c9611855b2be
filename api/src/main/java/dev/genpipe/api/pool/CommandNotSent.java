package dev.genpipe.api.pool;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The command could not be written to Kafka (the transaction was aborted): 503, no worker will see it. */
class CommandNotSent extends ErrorResponseException {

    CommandNotSent(Throwable cause) {
        super(HttpStatus.SERVICE_UNAVAILABLE, ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "Kafka is unreachable; the command was not sent, retry later"), cause);
        getHeaders().set(HttpHeaders.RETRY_AFTER, "5");
    }
}
