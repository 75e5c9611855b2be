package dev.genpipe.systemtests;

import static dev.genpipe.systemtests.PipelineTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Two workers share Redis: identical work is done once. */
class SharedWorkTest {

    private static GenPipeStack stack;
    private static ApiClient api;

    @BeforeAll
    static void startSystem() {
        stack = GenPipeStack.start();
        api = stack.startApi();
        stack.startWorker("worker-a");
        stack.startWorker("worker-b");
    }

    @AfterAll
    static void stopSystem() {
        if (stack != null) {
            stack.close();
        }
    }

    @BeforeEach
    void resetGemini() {
        stack.gemini.reset();
    }

    @Test
    void identicalJobsInFlightTogetherCostOneGeminiCall() throws Exception {
        stack.gemini.latency(Duration.ofSeconds(1));
        String body = """
                {"type":"EXPLANATION","input":{"topic":"Tides %s","subtopic":"The Moon","level":"beginner"}}"""
                .formatted(UUID.randomUUID());
        List<String> ids = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                submitted.add(clients.submit(() -> api.submitted(body)));
            }
            for (Future<String> f : submitted) {
                ids.add(f.get());
            }
        }

        int cached = 0;
        String markdown = null;
        for (String id : ids) {
            JsonNode job = awaitStatus(api, id, "SUCCEEDED");
            cached += job.get("cached").asBoolean() ? 1 : 0;
            String text = job.get("result").get("markdown").asString();
            assertThat(markdown == null || markdown.equals(text)).isTrue();
            markdown = text;
        }
        assertThat(stack.gemini.calls()).isEqualTo(1);
        assertThat(cached).isEqualTo(49);
    }
}
