package dev.genpipe.api.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Puts {@link AdminAccess} in front of the admin endpoints. The paths are matched by Spring MVC's own path matching
 * (decoded, normalised), the same that picks the controller, so no spelling of a path reaches an admin endpoint
 * around the check; unknown paths below the admin prefixes are refused the same way.
 */
@Configuration(proxyBeanMethods = false)
class AdminAccessConfig implements WebMvcConfigurer {

    static final String[] ADMIN_PATHS = {"/api/circuit-breaker/**", "/api/cache/**"};

    private static final Logger log = LoggerFactory.getLogger(AdminAccessConfig.class);

    private final ApiSettings settings;

    AdminAccessConfig(ApiSettings settings) {
        this.settings = settings;
        if (settings.adminEnabled()) {
            log.info("admin endpoints enabled (bearer token)");
        } else {
            log.info("admin endpoints disabled: set GENPIPE_ADMIN_TOKEN to enable them");
        }
    }

    /** Actuator endpoints other than health take the admin token too (on this port). */
    @Bean
    FilterRegistrationBean<ActuatorAccess> actuatorAccess() {
        FilterRegistrationBean<ActuatorAccess> registration =
                new FilterRegistrationBean<>(new ActuatorAccess(settings.adminToken()));
        registration.addUrlPatterns("/actuator/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return registration;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new AdminAccess(settings.adminToken())).addPathPatterns(ADMIN_PATHS).order(0);
    }
}
