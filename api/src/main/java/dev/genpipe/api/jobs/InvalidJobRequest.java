package dev.genpipe.api.jobs;

import dev.genpipe.common.job.FieldViolation;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** 400 with an {@code errors} array of {@code {field, message}}; the detail names the fields. */
class InvalidJobRequest extends ErrorResponseException {

    InvalidJobRequest(List<FieldViolation> violations) {
        super(HttpStatus.BAD_REQUEST, problem(violations), null);
    }

    InvalidJobRequest(String field, String message) {
        this(List.of(new FieldViolation(field, message)));
    }

    private static ProblemDetail problem(List<FieldViolation> violations) {
        String fields = violations.stream().map(FieldViolation::field).distinct().collect(Collectors.joining(", "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "invalid field(s): " + fields);
        problem.setTitle("Invalid job request");
        problem.setProperty("errors", List.copyOf(violations));
        return problem;
    }
}
