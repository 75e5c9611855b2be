package dev.genpipe.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** A GenPipe worker: consumes {@code genpipe.jobs}, calls Gemini, publishes job events. Scale it on its own. */
@SpringBootApplication
public class WorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerApplication.class, args);
    }
}
