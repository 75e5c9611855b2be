package dev.genpipe.api.status;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** The job state store is not ready yet (start-up, or Kafka Streams is down): 503, retry shortly. */
public class JobStateLoading extends ErrorResponseException {

    public JobStateLoading() {
        super(HttpStatus.SERVICE_UNAVAILABLE,
                ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, "job state is still loading"), null);
        getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
    }
}
