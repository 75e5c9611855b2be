package dev.genpipe.worker;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A GenPipe worker: consumes {@code genpipe.jobs}, calls Gemini, publishes job events. Scale it on its own. */
@SpringBootApplication
public class WorkerApplication {

    /** Its settings live in {@code genpipe-worker.yml}, so the API and a worker can share one classpath (tests). */
    static final String CONFIG_NAME = "spring.config.name=genpipe-worker";

    public static void main(String[] args) {
        builder().run(args);
    }

    /** The worker application, configured; start it with {@code .run(args)}. */
    public static SpringApplicationBuilder builder() {
        return new SpringApplicationBuilder(WorkerApplication.class).properties(CONFIG_NAME);
    }
}
