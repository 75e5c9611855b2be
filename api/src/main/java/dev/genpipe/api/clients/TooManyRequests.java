package dev.genpipe.api.clients;

import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 429 with {@code Retry-After} (whole seconds, at least 1). */
public class TooManyRequests extends ErrorResponseException {

    public TooManyRequests(String detail, Duration retryAfter) {
        super(HttpStatus.TOO_MANY_REQUESTS, ProblemDetail.forStatusAndDetail(HttpStatus.TOO_MANY_REQUESTS, detail),
                null);
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    }
}
