package dev.genpipe.systemtests;

import static dev.genpipe.systemtests.PipelineTest.awaitStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.common.event.JobRequeued;
import dev.genpipe.systemtests.ApiClient.SseEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/** A worker process killed with SIGKILL in the middle of jobs loses nothing: another worker completes them. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkerCrashTest {

    private static final Path WORKER_JAR = JarProcess.WORKER_JAR;
    /** The broker's minimum: a dead member leaves the group this long after its last heartbeat. */
    static final String SESSION_TIMEOUT = "spring.kafka.consumer.properties.session.timeout.ms=6000";
    static final String HEARTBEAT = "spring.kafka.consumer.properties.heartbeat.interval.ms=1000";

    private static GenPipeStack stack;
    private static ApiClient api;
    private static Process doomed;
    private static ConfigurableApplicationContext survivor;

    @BeforeAll
    static void startSystem() {
        stack = GenPipeStack.start();
        api = stack.startApi();
    }

    @AfterAll
    static void stopSystem() {
        if (doomed != null) {
            doomed.destroyForcibly();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void jobsOfAKilledWorkerCompleteOnTheSurvivor() throws Exception {
        int jobs = 20;
        stack.gemini.hold(); // every call waits at the stand-in: all 20 are mid-call when the worker dies
        doomed = startWorkerProcess("worker-doomed");
        List<String> ids = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < jobs; i++) {
            ids.add(api.submitted("""
                    {"type":"SUBTOPICS","input":{"topic":"Crash %s %d"}}""".formatted(run, i)));
        }
        // every job is in the middle of its Gemini call in the doomed worker
        await().atMost(Duration.ofSeconds(90)).until(() -> stack.gemini.inFlight() == jobs);

        doomed.destroyForcibly(); // SIGKILL: no shutdown hook, no commit, no goodbye
        assertThat(doomed.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        stack.gemini.latency(Duration.ofMillis(200));
        stack.gemini.release(); // the held calls answer a dead process
        startSurvivor();

        int resumed = 0;
        for (String id : ids) {
            JsonNode job = awaitStatus(api, id, "SUCCEEDED");
            List<SseEvent> history = api.events(id, null, Duration.ofSeconds(30));
            assertThat(history.stream().filter(e -> e.event().equals("succeeded")).count()).isEqualTo(1);
            boolean lostAttempt = history.stream().anyMatch(e -> e.event().equals("requeued")
                    && e.data().toString().contains(JobRequeued.WORKER_LOST));
            if (lostAttempt) {
                resumed++;
                assertThat(job.get("attempts").asInt()).isEqualTo(2);
            }
        }
        System.out.printf("crash: %d of %d jobs were in flight in the killed worker and completed on the survivor%n",
                resumed, jobs);
        assertThat(resumed).as("jobs whose history shows the interrupted attempt").isEqualTo(jobs);
        // every job was mid-call at the kill (held at the stand-in), so none had a terminal event yet: on the topic
        // itself, where no lifecycle guard drops a second one, each has exactly one
        try (TopicLedger ledger = new TopicLedger(stack.kafka.bootstrapServers())) {
            java.util.Map<String, List<dev.genpipe.common.event.JobEvent>> onTopic = ledger.eventsByJob();
            for (String id : ids) {
                assertThat(onTopic.get(id)).as("events of job %s on genpipe.job-events", id)
                        .filteredOn(e -> e.status().isTerminal()).hasSize(1);
            }
        }
    }

    @Test
    @Order(2)
    void aPresentationCompletesAfterTheWorkerRunningItWasKilled() throws Exception {
        stack.gemini.reset();
        stack.gemini.latency(Duration.ofSeconds(4));
        stopSurvivor();
        Process victim = startWorkerProcess("worker-doomed-2");
        try {
            String id = api.submitted("""
                    {"type":"PRESENTATION","input":{"topic":"Crash presentation %s","sections":6}}"""
                    .formatted(UUID.randomUUID().toString().substring(0, 8)));
            // the subtopics call and the first sections are under way
            await().atMost(Duration.ofSeconds(90)).until(() -> stack.gemini.calls() >= 3);

            victim.destroyForcibly();
            assertThat(victim.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            stack.gemini.latency(Duration.ofMillis(200));
            startSurvivor();

            JsonNode job = awaitStatus(api, id, "SUCCEEDED");
            assertThat(job.get("result").get("sections")).hasSize(6);
            assertThat(job.get("result").get("failedSections").asInt()).isZero();
        } finally {
            victim.destroyForcibly();
        }
    }

    private static void startSurvivor() {
        // its Gemini time limit is above the stand-in's slow latency of these tests
        survivor = stack.startWorker("worker-survivor-" + UUID.randomUUID().toString().substring(0, 4),
                SESSION_TIMEOUT, HEARTBEAT, "genpipe.gemini.timeout=30");
    }

    /** The next worker process is the only one: it takes every partition, so it runs the job that gets killed. */
    private static void stopSurvivor() {
        if (survivor != null) {
            stack.stop(survivor);
            survivor = null;
        }
    }

    private static Process startWorkerProcess(String id) throws IOException {
        assertThat(WORKER_JAR).as("the worker's executable jar (built by `mvn package` before this module)").exists();
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", WORKER_JAR.toString()));
        command.addAll(JarProcess.workerArgs(id, stack.kafka.bootstrapServers(), GenPipeStack.PARTITIONS,
                stack.gemini.baseUrl(), stack.redis.host(), stack.redis.port(), "--" + SESSION_TIMEOUT,
                "--" + HEARTBEAT));
        Path log = Files.createDirectories(Path.of("target")).resolve(id + ".log");
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

}
