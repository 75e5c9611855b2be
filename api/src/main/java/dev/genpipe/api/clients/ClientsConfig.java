package dev.genpipe.api.clients;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts {@link ClientAccess} in front of the job endpoints and lets controllers take a {@link Client} parameter. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ClientSettings.class)
class ClientsConfig implements WebMvcConfigurer {

    static final String[] JOB_PATHS = {"/api/jobs", "/api/jobs/**"};
    private static final Logger log = LoggerFactory.getLogger(ClientsConfig.class);

    private final ClientAccess access;

    ClientsConfig(ClientSettings settings) {
        ApiKeyRegistry keys = new ApiKeyRegistry(settings.apiKeys());
        this.access = new ClientAccess(keys, settings.openAccess());
        if (settings.openAccess()) {
            log.warn("""

                    ***********************************************************************************
                    *  OPEN ACCESS (dev mode): job requests without an API key are accepted as client  *
                    *  'anonymous'. Anybody who reaches this API can spend your Gemini quota.          *
                    *  Never run like this in production: unset GENPIPE_OPEN_ACCESS, set GENPIPE_API_KEYS.*
                    ***********************************************************************************""");
        }
        log.info("clients: {} API key(s) configured", keys.size());
        if (keys.size() == 0 && !settings.openAccess()) {
            log.warn("no API keys configured and open access is off: every job request will be refused (401)");
        }
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(access).addPathPatterns(JOB_PATHS).order(0);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new HandlerMethodArgumentResolver() {
            @Override
            public boolean supportsParameter(MethodParameter parameter) {
                return parameter.getParameterType() == Client.class;
            }

            @Override
            public Object resolveArgument(MethodParameter parameter, ModelAndViewContainer mav,
                                          NativeWebRequest request, WebDataBinderFactory binders) {
                Object client = request.getAttribute(Client.ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
                if (client == null) {
                    throw new ClientAccess.NotAuthenticated();
                }
                return client;
            }
        });
    }
}
