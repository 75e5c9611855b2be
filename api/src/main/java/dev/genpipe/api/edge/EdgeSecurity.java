package dev.genpipe.api.edge;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;
import static org.springframework.security.web.util.matcher.RequestMatchers.allOf;
import static org.springframework.security.web.util.matcher.RequestMatchers.anyOf;
import static org.springframework.security.web.util.matcher.RequestMatchers.not;

import dev.genpipe.api.clients.ApiKeyRegistry;
import dev.genpipe.api.clients.Client;
import dev.genpipe.api.clients.ClientSettings;
import dev.genpipe.api.config.ApiSettings;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The API's one security filter chain.
 * <ul>
 *   <li>Job endpoints ({@code /api/jobs/**}) want a client: an API key in {@code X-API-Key} or
 *       {@code Authorization: Bearer}; none or an unknown one is 401. In open-access (dev) mode a request without a
 *       key is the client {@code anonymous}.</li>
 *   <li>Admin endpoints ({@code /api/circuit-breaker/**}, {@code /api/cache/**}) and every actuator endpoint but
 *       health want the admin token ({@code Authorization: Bearer} or {@code X-Admin-Token}): none is 401 with a
 *       challenge, a wrong one 403; without a configured token they are off (403). Actuator on its own management
 *       port ({@code MANAGEMENT_SERVER_PORT}) is left to network protection: this guards the main port.</li>
 *   <li>Everything else is public: {@code /api/health}, {@code /api/metrics}, the health probes, the API description
 *       ({@code /v3/api-docs}) and its UI ({@code /swagger-ui.html}), the web console's static files, and unknown
 *       paths (which answer 404).</li>
 * </ul>
 * Paths are matched as Spring MVC matches them (decoded, normalised), after Spring Security's StrictHttpFirewall has
 * refused encoded slashes, dots, semicolons and the like, so no spelling of a guarded path gets around the check.
 * Every refusal is a problem ({@link ProblemAnswer}).
 *
 * <p>Public, and complete with {@code @EnableWebSecurity}, so that web slice tests can import it.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties({ApiSettings.class, ClientSettings.class, CorsSettings.class})
public class EdgeSecurity {

    static final String CLIENT = "CLIENT";
    static final String ADMIN = "ADMIN";

    /** The paths that want a client (Spring MVC path patterns); the API description says so too. */
    public static final List<String> JOB_PATHS = List.of("/api/jobs/**", "/api/create_subtopics");
    /** The admin endpoints' paths. */
    public static final List<String> ADMIN_PATHS = List.of("/api/circuit-breaker/**", "/api/cache/**");
    /** The API description and its browsable UI (springdoc's default paths): public, like {@code /api/health}. */
    static final List<String> DOCS_PATHS = List.of("/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**");

    static final RequestMatcher JOBS = paths(JOB_PATHS);
    static final RequestMatcher ADMIN_API = paths(ADMIN_PATHS);
    static final RequestMatcher DOCS = paths(DOCS_PATHS);
    static final RequestMatcher ACTUATOR = allOf(pathPattern("/actuator/**"), not(pathPattern("/actuator/health/**")));

    static final String DISABLED = "admin endpoints are disabled: set GENPIPE_ADMIN_TOKEN";

    private static final Logger log = LoggerFactory.getLogger(EdgeSecurity.class);

    @Bean
    SecurityFilterChain edge(HttpSecurity http, ApiSettings api, ClientSettings clients, CorsSettings cors,
                             Environment environment) throws Exception {
        ApiKeyRegistry keys = new ApiKeyRegistry(clients.apiKeys());
        announce(api, clients, keys);
        // on a management port of its own, actuator is not served here and the chain there leaves it open
        RequestMatcher admin = ManagementPortType.get(environment) == ManagementPortType.DIFFERENT
                ? ADMIN_API : anyOf(ADMIN_API, ACTUATOR);
        ProblemAnswer noClient = ProblemAnswer.unauthorized(
                "a valid API key is required (header X-API-Key or Authorization: Bearer)", "genpipe", false);
        ProblemAnswer noAdmin = api.adminEnabled()
                ? ProblemAnswer.unauthorized("admin token required", "genpipe-admin", true)
                : ProblemAnswer.forbidden(DISABLED, true);

        http.addFilterBefore(authentication(JOBS, Credentials.apiKey(), new ClientKeys(keys), noClient),
                AnonymousAuthenticationFilter.class);
        if (api.adminEnabled()) {
            http.addFilterBefore(authentication(admin, Credentials.adminToken(), new AdminToken(api.adminToken()),
                    ProblemAnswer.forbidden("invalid admin token", true)), AnonymousAuthenticationFilter.class);
        }
        if (clients.openAccess()) {
            http.anonymous(anonymous -> anonymous.principal(Client.ANONYMOUS).authorities("ROLE_" + CLIENT));
        }
        return http
                .cors(configurer -> configurer.configurationSource(cors(cors)))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(JOBS).hasRole(CLIENT)
                        .requestMatchers(admin).hasRole(ADMIN)
                        .requestMatchers(DOCS).permitAll() // said, not left to the default below
                        .anyRequest().permitAll())
                .exceptionHandling(refusals -> refusals
                        .defaultAuthenticationEntryPointFor(noClient, JOBS)
                        .defaultAuthenticationEntryPointFor(noAdmin, admin)
                        .accessDeniedHandler(ProblemAnswer.forbidden("access denied", true)))
                // Stateless: every request carries its credential in a header that a browser never adds by itself,
                // and no session or cookie is ever issued, so a cross-site request has nothing to ride on: there is
                // no CSRF to protect against, and no login page, basic auth, logout or saved request either.
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                // the defaults (nosniff, frame options, ...) stay; caching is each response's own business, except
                // that nothing of the admin side may be stored
                .headers(headers -> headers
                        .cacheControl(HeadersConfigurer.CacheControlConfig::disable)
                        .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(admin,
                                new StaticHeadersWriter("Cache-Control", "no-store"))))
                .build();
    }

    /**
     * Cross-origin access for the configured origins only: the job, health and metrics endpoints, with the headers a
     * client sends (API key, idempotency key, {@code Last-Event-ID}, {@code Prefer}) and reads (Location, Retry-After,
     * ...); never credentials. A preflight from another origin gets 403; without origins nothing is allowed.
     */
    static CorsConfigurationSource cors(CorsSettings settings) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (settings.origins().isEmpty()) {
            return source;
        }
        CorsConfiguration config = new CorsConfiguration();
        config.setAllowedOrigins(settings.origins());
        config.setAllowedMethods(java.util.List.of("GET", "POST", "DELETE"));
        config.setAllowedHeaders(java.util.List.of("Content-Type", "X-API-Key", "Authorization", "Idempotency-Key",
                "Last-Event-ID", "Prefer"));
        config.setExposedHeaders(java.util.List.of("Location", "Retry-After", "Idempotent-Replayed",
                "Preference-Applied"));
        config.setAllowCredentials(false);
        config.setMaxAge(java.time.Duration.ofMinutes(10));
        source.registerCorsConfiguration("/api/jobs/**", config);
        source.registerCorsConfiguration("/api/jobs", config);
        source.registerCorsConfiguration("/api/health", config);
        source.registerCorsConfiguration("/api/metrics", config);
        return source;
    }

    private static RequestMatcher paths(List<String> patterns) {
        return anyOf(patterns.stream().map(PathPatternRequestMatcher::pathPattern).toArray(RequestMatcher[]::new));
    }

    /** An authenticated principal with one role. */
    static Authentication authenticated(Object principal, String role) {
        return UsernamePasswordAuthenticationToken.authenticated(principal, null,
                AuthorityUtils.createAuthorityList("ROLE_" + role));
    }

    /** Authenticates requests to {@code paths} that carry a credential; a credential that fails gets {@code refusal}. */
    private static AuthenticationFilter authentication(RequestMatcher paths, AuthenticationConverter credential,
                                                       AuthenticationManager manager,
                                                       AuthenticationFailureHandler refusal) {
        AuthenticationFilter filter = new AuthenticationFilter(manager, credential);
        filter.setRequestMatcher(paths);
        filter.setFailureHandler(refusal);
        filter.setSuccessHandler((request, response, authentication) -> {
            // go on to the endpoint (the default would redirect)
        });
        return filter;
    }

    private static void announce(ApiSettings api, ClientSettings clients, ApiKeyRegistry keys) {
        log.info(api.adminEnabled() ? "admin endpoints enabled (bearer token)"
                : "admin endpoints disabled: set GENPIPE_ADMIN_TOKEN to enable them");
        if (clients.openAccess()) {
            log.warn("""

                    ***********************************************************************************
                    *  OPEN ACCESS (dev mode): job requests without an API key are accepted as client  *
                    *  'anonymous'. Anybody who reaches this API can spend your Gemini quota.          *
                    *  Never run like this in production: unset GENPIPE_OPEN_ACCESS, set GENPIPE_API_KEYS.*
                    ***********************************************************************************""");
        }
        log.info("clients: {} API key(s) configured", keys.size());
        if (keys.size() == 0 && !clients.openAccess()) {
            log.warn("no API keys configured and open access is off: every job request will be refused (401)");
        }
    }
}
