package dev.genpipe.api.edge;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * One refusal of the security chain as a problem: the same answer whether Spring Security asks for it as an entry
 * point (no credential), an access-denied handler or the failure handler of an authentication. The detail says what
 * is missing, never what was sent; a 401 carries its {@code WWW-Authenticate} challenge.
 */
final class ProblemAnswer implements AuthenticationEntryPoint, AccessDeniedHandler, AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAnswer.class);

    private final HttpStatus status;
    private final String detail;
    private final String challenge;
    private final boolean logged;

    private ProblemAnswer(HttpStatus status, String detail, String challenge, boolean logged) {
        this.status = status;
        this.detail = detail;
        this.challenge = challenge;
        this.logged = logged;
    }

    /** 401 with {@code WWW-Authenticate: Bearer realm="<realm>"}. */
    static ProblemAnswer unauthorized(String detail, String realm, boolean logged) {
        return new ProblemAnswer(HttpStatus.UNAUTHORIZED, detail, "Bearer realm=\"" + realm + "\"", logged);
    }

    static ProblemAnswer forbidden(String detail, boolean logged) {
        return new ProblemAnswer(HttpStatus.FORBIDDEN, detail, null, logged);
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException reason)
            throws IOException {
        answer(request, response);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException reason)
            throws IOException {
        answer(request, response);
    }

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException reason) throws IOException {
        answer(request, response);
    }

    private void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (logged) {
            log.warn("request refused ({}): {} {} from {}", detail, request.getMethod(), request.getRequestURI(),
                    request.getRemoteAddr());
        }
        if (challenge != null) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        Problems.write(response, Problems.of(status, detail, request.getRequestURI()));
    }
}
