package dev.genpipe.api.edge;

import dev.genpipe.common.kafka.GenPipeJson;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one writer of {@code application/problem+json} (RFC 9457) outside Spring MVC's own error handling: the security
 * chain's refusals, the request size limit, the error controller and Tomcat's error report valve. The body says the
 * status and the given detail, never anything about the request beyond its path.
 */
final class Problems {

    private Problems() {
    }

    /** A problem titled with the status's reason; {@code path} (raw, as requested) becomes its instance if valid. */
    static ProblemDetail of(HttpStatusCode status, String detail, String path) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (path != null) {
            try {
                problem.setInstance(URI.create(path));
            } catch (IllegalArgumentException ignored) {
                // a path that is no valid URI reference: leave it out rather than echo it
            }
        }
        return problem;
    }

    /** Sets status and content type and writes the body. */
    static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE); // JSON is UTF-8: no charset parameter
        response.getOutputStream().write(json(problem).getBytes(StandardCharsets.UTF_8));
    }

    /** The problem as JSON, in the member order of RFC 9457; extension members after the standard ones. */
    static String json(ProblemDetail problem) {
        HttpStatus status = HttpStatus.resolve(problem.getStatus());
        ObjectNode body = GenPipeJson.mapper().createObjectNode()
                .put("type", problem.getType() == null ? "about:blank" : problem.getType().toString())
                .put("title", problem.getTitle() != null || status == null ? problem.getTitle() : status.getReasonPhrase())
                .put("status", problem.getStatus())
                .put("detail", problem.getDetail());
        if (problem.getInstance() != null) {
            body.put("instance", problem.getInstance().toString());
        }
        if (problem.getProperties() != null) {
            problem.getProperties().forEach((name, value) -> body.set(name, GenPipeJson.mapper().valueToTree(value)));
        }
        return GenPipeJson.mapper().writeValueAsString(body);
    }
}
