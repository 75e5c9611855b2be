package dev.genpipe.api.edge;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Where a request's credential is: a client's API key in {@code X-API-Key} or {@code Authorization: Bearer}, the admin
 * token in {@code Authorization: Bearer} or {@code X-Admin-Token}. What is found is handed to authentication as an
 * unauthenticated token (its toString never shows the secret); no credential: null, the request stays anonymous.
 */
final class Credentials {

    static final String API_KEY_HEADER = "X-API-Key";
    static final String ADMIN_TOKEN_HEADER = "X-Admin-Token";
    private static final String BEARER = "Bearer ";

    private Credentials() {
    }

    /** The client's API key: {@code X-API-Key}, else the bearer token. */
    static AuthenticationConverter apiKey() {
        return request -> presented("api-key", first(header(request, API_KEY_HEADER), bearer(request)));
    }

    /** The admin token: the bearer token, else {@code X-Admin-Token}. */
    static AuthenticationConverter adminToken() {
        return request -> presented("admin-token", first(bearer(request), header(request, ADMIN_TOKEN_HEADER)));
    }

    /** {@code Authorization: Bearer <token>} (the scheme in any case); null for none, another scheme or an empty one. */
    static String bearer(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return blankToNull(authorization.substring(BEARER.length()));
        }
        return null;
    }

    private static String header(HttpServletRequest request, String name) {
        return blankToNull(request.getHeader(name));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String first(String preferred, String other) {
        return preferred != null ? preferred : other;
    }

    private static Authentication presented(String kind, String secret) {
        return secret == null ? null : UsernamePasswordAuthenticationToken.unauthenticated(kind, secret);
    }
}
