package dev.genpipe.api.clients;

import dev.genpipe.api.config.BearerToken;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Identifies the client of a job request from its API key ({@code X-API-Key}, or {@code Authorization: Bearer}). No or
 * an unknown key: 401 (which of the two is not said). In open-access mode a request without a key is
 * {@link Client#ANONYMOUS}.
 */
final class ClientAccess implements HandlerInterceptor {

    static final String KEY_HEADER = "X-API-Key";

    private final ApiKeyRegistry keys;
    private final boolean openAccess;

    ClientAccess(ApiKeyRegistry keys, boolean openAccess) {
        this.keys = keys;
        this.openAccess = openAccess;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        String key = presented(request);
        Optional<Client> client = key == null ? Optional.empty() : keys.client(key);
        if (client.isEmpty() && key == null && openAccess) {
            client = Optional.of(Client.ANONYMOUS);
        }
        request.setAttribute(Client.ATTRIBUTE, client.orElseThrow(NotAuthenticated::new));
        return true;
    }

    private static String presented(HttpServletRequest request) {
        String header = request.getHeader(KEY_HEADER);
        if (header != null && !header.isBlank()) {
            return header.strip();
        }
        return BearerToken.of(request);
    }

    /** 401: a valid API key is required. */
    static final class NotAuthenticated extends ErrorResponseException {

        NotAuthenticated() {
            super(HttpStatus.UNAUTHORIZED, ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED,
                    "a valid API key is required (header X-API-Key or Authorization: Bearer)"), null);
            getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"genpipe\"");
        }
    }
}
