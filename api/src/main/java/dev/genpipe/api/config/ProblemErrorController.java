package dev.genpipe.api.config;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that never reached a controller (rejected by the servlet container or a filter) as problem+json too,
 * instead of Boot's default error JSON. Never says more than the status.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
        if (!status.isError()) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status,
                status.is5xxServerError() ? ProblemHandler.UNEXPECTED : status.getReasonPhrase());
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
            try {
                body.setInstance(URI.create(uri));
            } catch (IllegalArgumentException ignored) {
                // a URI the container refused to route: leave it out
            }
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }
}
