package dev.genpipe.api.config;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Lets a request to an admin endpoint through only with the admin token, as {@code Authorization: Bearer <token>} or
 * {@code X-Admin-Token: <token>}. No credential: 401 with {@code WWW-Authenticate}; a wrong one: 403; no token
 * configured: 403 for everybody. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual} (constant
 * time, independent of the length of either token) and never logged or echoed.
 */
final class AdminAccess implements HandlerInterceptor {

    static final String TOKEN_HEADER = "X-Admin-Token";
    static final String CHALLENGE = "Bearer realm=\"genpipe-admin\"";
    static final String DISABLED = "admin endpoints are disabled: set GENPIPE_ADMIN_TOKEN";

    private static final Logger log = LoggerFactory.getLogger(AdminAccess.class);

    private final byte[] tokenDigest; // null: admin endpoints disabled

    AdminAccess(String token) {
        this.tokenDigest = token == null ? null : sha256(token);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        if (tokenDigest == null) {
            throw refuse(request, HttpStatus.FORBIDDEN, DISABLED);
        }
        String presented = credential(request);
        if (presented == null) {
            AdminAccessDenied denied = refuse(request, HttpStatus.UNAUTHORIZED, "admin token required");
            denied.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
            throw denied;
        }
        if (!MessageDigest.isEqual(sha256(presented), tokenDigest)) {
            throw refuse(request, HttpStatus.FORBIDDEN, "invalid admin token");
        }
        return true;
    }

    /** The bearer token, else the X-Admin-Token header; null when the request carries neither. */
    static String credential(HttpServletRequest request) {
        String token = BearerToken.of(request);
        if (token != null) {
            return token;
        }
        String header = request.getHeader(TOKEN_HEADER);
        return header == null || header.isBlank() ? null : header.strip();
    }

    private static AdminAccessDenied refuse(HttpServletRequest request, HttpStatus status, String reason) {
        log.warn("admin request refused ({}): {} {} from {}", reason, request.getMethod(), request.getRequestURI(),
                request.getRemoteAddr());
        return new AdminAccessDenied(status, reason);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** 401 or 403 as a problem; the detail says what is missing, never what was sent. */
    static final class AdminAccessDenied extends ErrorResponseException {

        AdminAccessDenied(HttpStatus status, String detail) {
            super(status, ProblemDetail.forStatusAndDetail(status, detail), null);
        }
    }
}
