package dev.genpipe.api;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * The GenPipe API: validates and enqueues generation jobs, serves their state from a Kafka Streams store and
 * pushes their events over SSE.
 */
// no user store: clients and the admin authenticate with keys (dev.genpipe.api.edge.EdgeSecurity)
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class ApiApplication {

    /** Its settings live in {@code genpipe-api.yml}, so the API and a worker can share one classpath (tests). */
    static final String CONFIG_NAME = "spring.config.name=genpipe-api";

    public static void main(String[] args) {
        builder().run(args);
    }

    /** The API application, configured; start it with {@code .run(args)}. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(ApiApplication.class).properties(CONFIG_NAME);
    }
}
