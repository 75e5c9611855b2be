package dev.genpipe.api.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Environment variable names of the deployment: {@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code GENPIPE_ADMIN_TOKEN} (or the original app's {@code ADMIN_TOKEN}) and
 * {@code GENPIPE_API_TOPIC_PARTITIONS}-style names for {@code genpipe.api.*}. ({@code SERVER_PORT} binds natively.)
 *
 * <p>Only variables that are set become properties, right below the environment itself. That is why they are not
 * {@code ${VAR:default}} placeholders in application.yml: an application.yml entry would beat the default properties
 * of {@code new SpringApplicationBuilder(ApiApplication.class).properties(...)}, which tests and embedders use.
 */
class EnvironmentAliases implements EnvironmentPostProcessor {

    static final String SOURCE_NAME = "genpipeEnvironmentAliases";
    private static final String API_PREFIX = "GENPIPE_API_";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Map<String, Object> aliases = aliases(environment.getSystemEnvironment());
        if (aliases.isEmpty()) {
            return;
        }
        MapPropertySource source = new MapPropertySource(SOURCE_NAME, aliases);
        String systemEnvironment = StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME;
        if (environment.getPropertySources().contains(systemEnvironment)) {
            environment.getPropertySources().addAfter(systemEnvironment, source);
        } else {
            environment.getPropertySources().addLast(source);
        }
    }

    static Map<String, Object> aliases(Map<String, ?> env) {
        Map<String, Object> aliases = new LinkedHashMap<>();
        Object bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap != null && !bootstrap.toString().isBlank()) {
            aliases.put("spring.kafka.bootstrap-servers", bootstrap);
        }
        copy(env, "GENPIPE_OPEN_ACCESS", "genpipe.clients.open-access", aliases);
        copy(env, "GENPIPE_API_KEYS", "genpipe.clients.api-keys", aliases);
        copy(env, "GENPIPE_CLIENT_SUBMITS_PER_MINUTE", "genpipe.clients.submits-per-minute", aliases);
        copy(env, "GENPIPE_CLIENT_MAX_STREAMS", "genpipe.clients.max-streams", aliases);
        copy(env, "GENPIPE_CLIENT_DAILY_TOKENS", "genpipe.clients.daily-tokens", aliases);
        // shared with the worker: both declare the same topics
        copy(env, "GENPIPE_TOPIC_PARTITIONS", "genpipe.api.topic-partitions", aliases);
        copy(env, "GENPIPE_TOPIC_REPLICAS", "genpipe.api.topic-replicas", aliases);
        // the more specific name wins: GENPIPE_API_ADMIN_TOKEN (below) over GENPIPE_ADMIN_TOKEN over ADMIN_TOKEN
        copy(env, "ADMIN_TOKEN", "genpipe.api.admin-token", aliases);
        copy(env, "GENPIPE_ADMIN_TOKEN", "genpipe.api.admin-token", aliases);
        env.forEach((name, value) -> {
            if (name.startsWith(API_PREFIX) && name.length() > API_PREFIX.length()) {
                String key = name.substring(API_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '-');
                aliases.put("genpipe.api." + key, value);
            }
        });
        return aliases;
    }

    private static void copy(Map<String, ?> env, String name, String property, Map<String, Object> into) {
        Object value = env.get(name);
        if (value != null && !value.toString().isBlank()) {
            into.put(property, value);
        }
    }
}
