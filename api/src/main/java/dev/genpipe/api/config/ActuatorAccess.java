package dev.genpipe.api.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Actuator endpoints other than health ({@code /actuator/prometheus}, {@code /actuator/metrics}, {@code /actuator/info})
 * need the admin token on the API's port, like the admin endpoints (Prometheus sends it as a bearer token). Health
 * (liveness, readiness) stays open for probes. Served on a separate management port
 * ({@code MANAGEMENT_SERVER_PORT}), actuator is left to network protection instead: this filter guards the main port.
 */
final class ActuatorAccess extends OncePerRequestFilter {

    private final byte[] tokenDigest;

    ActuatorAccess(String token) {
        this.tokenDigest = token == null ? null : AdminAccess.sha256(token);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !path.startsWith("/actuator") || path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
        String presented = AdminAccess.credential(request);
        if (tokenDigest == null) {
            refuse(response, 403, AdminAccess.DISABLED);
        } else if (presented == null) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, AdminAccess.CHALLENGE);
            refuse(response, 401, "admin token required");
        } else if (!MessageDigest.isEqual(AdminAccess.sha256(presented), tokenDigest)) {
            refuse(response, 403, "invalid admin token");
        } else {
            chain.doFilter(request, response);
        }
    }

    private static void refuse(HttpServletResponse response, int status, String detail) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        String title = status == 401 ? "Unauthorized" : "Forbidden";
        response.getOutputStream().write(("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}").getBytes(StandardCharsets.UTF_8));
    }
}
