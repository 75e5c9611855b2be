package dev.genpipe.api.status;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A state store (job state, worker status) is not ready yet (start-up, or Kafka Streams is down): 503, retry shortly.
 */
public class JobStateLoading extends ErrorResponseException {

    static final String JOB_STATE = "job state is still loading";

    public JobStateLoading() {
        this(JOB_STATE);
    }

    JobStateLoading(String detail) {
        super(HttpStatus.SERVICE_UNAVAILABLE,
                ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
    }
}
