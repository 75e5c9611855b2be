package dev.genpipe.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.genpipe.common.event.JobCancelled;
import dev.genpipe.common.event.JobEvent;
import dev.genpipe.common.event.JobFailed;
import dev.genpipe.common.event.JobStarted;
import dev.genpipe.common.event.JobSucceeded;
import dev.genpipe.common.job.JobRequested;
import dev.genpipe.common.kafka.GenPipeJson;
import dev.genpipe.common.kafka.JsonSerde;
import dev.genpipe.common.kafka.Topics;
import dev.genpipe.devstack.FreePorts;
import dev.genpipe.devstack.GeminiStandIn;
import dev.genpipe.devstack.LocalRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.util.FileSystemUtils;

/**
 * Steady load through four real faults, every part a process that is killed with SIGKILL: a worker (restarted at
 * once), Redis (restarted empty), the Kafka broker (restarted on its data) and the API (restarted). Judged by the
 * topics themselves ({@link TopicLedger}, read_committed as the API's fold reads them): no accepted job lost, no job
 * with a second terminal event (but for one whose worker was killed right after its first: see {@link #COMMIT_WINDOW}),
 * also not around the broker's restart, and no more extra Gemini calls than jobs a killed worker had started and not
 * ended. Prints its figures (docs/faults.md).
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class FaultInjectionTest {

    private static final int RATE = 25;
    /**
     * Each fault comes this long after the part killed before it is back (a JVM's restart takes 10-30 s on a loaded
     * 2-core machine, so fixed times could put a fault where no load is), and the load goes on this long after the
     * last one.
     */
    private static final Duration GAP = Duration.ofSeconds(5);
    /** The load stops by then whatever the faults' restarts took. */
    private static final Duration MAX_LOAD = Duration.ofSeconds(150);
    private static final Duration BROKER_DOWN = Duration.ofSeconds(3);
    /**
     * A finished job whose terminal event came this shortly before its worker's kill may be run again; its second
     * ending is skipped by the end claims unless the kill fell between Kafka's acknowledgement and the claim's
     * {@code done} (microseconds), which is the one second terminal event allowed.
     */
    private static final Duration COMMIT_WINDOW = Duration.ofSeconds(1);
    /** How long after the broker is back a fenced worker's lost partitions may still be running elsewhere. */
    private static final Duration BROKER_FENCING = Duration.ofSeconds(15);
    private static final JsonSerde<JobRequested> REQUESTS = JsonSerde.of(JobRequested.class);

    /** One submit as the client saw it. */
    private record Submit(long startNanos, long endNanos, int status, String jobId, String retryAfter) {
        Duration took() {
            return Duration.ofNanos(endNanos - startNanos);
        }
    }

    /** A worker's kill: who, when, and what the stand-in had in flight then. */
    private record Kill(String workerId, Instant at, int standInInFlight) {
    }

    private final List<AutoCloseable> parts = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int brokerPort = FreePorts.next();
    private final int apiPort = FreePorts.next();
    private Path brokerData;
    private JarProcess broker;
    private JarProcess api;
    private final JarProcess[] workers = new JarProcess[2];
    private GeminiStandIn gemini;
    private LocalRedis redis;
    private String bootstrap;

    @AfterEach
    void stopEverything() throws IOException {
        Stream.of(api, workers[0], workers[1], broker).filter(p -> p != null).forEach(JarProcess::close);
        for (AutoCloseable part : parts) {
            try {
                part.close();
            } catch (Exception e) {
                System.err.println("could not stop " + part + ": " + e);
            }
        }
        if (brokerData != null) {
            FileSystemUtils.deleteRecursively(brokerData);
        }
    }

    @Test
    void everyAcceptedJobEndsOnceThroughKilledWorkerRedisBrokerAndApi() throws Exception {
        gemini = GeminiStandIn.start();
        parts.add(gemini);
        gemini.latency(Duration.ofMillis(300));
        redis = LocalRedis.start();
        parts.add(redis);
        brokerData = Files.createTempDirectory("genpipe-faults-kafka-");
        startBroker();
        startApi();
        for (int i = 0; i < workers.length; i++) {
            startWorker(i);
        }
        warmUp();

        TopicLedger ledger = new TopicLedger(bootstrap, "read_committed");
        parts.addFirst(ledger);
        var mark = ledger.mark();
        gemini.reset();
        gemini.latency(Duration.ofMillis(300));

        ConcurrentLinkedQueue<Submit> submits = new ConcurrentLinkedQueue<>();
        List<Kill> kills = new ArrayList<>();
        Instant[] brokerDown = new Instant[2];
        long[] brokerDownNanos = {Long.MAX_VALUE, Long.MAX_VALUE};
        long start = System.nanoTime();
        CompletableFuture<Void> chaos = CompletableFuture.runAsync(() -> {
            pause(GAP);
            kills.add(new Kill("fault-w0", Instant.now(), gemini.inFlight()));
            workers[0].kill();
            startWorker(0);
            pause(GAP);
            redis.kill();
            redis.restart();
            pause(GAP);
            api.kill();
            startApi();
            pause(GAP);
            brokerDown[0] = Instant.now();
            brokerDownNanos[0] = System.nanoTime();
            broker.kill();
            pause(BROKER_DOWN);
            startBroker();
            brokerDown[1] = Instant.now();
            brokerDownNanos[1] = System.nanoTime();
            pause(GAP);
        }, task -> Thread.ofPlatform().name("chaos").start(task));
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; !chaos.isDone() && Duration.ofNanos(System.nanoTime() - start).compareTo(MAX_LOAD) < 0;
                 i++) {
                at(start, Duration.ofNanos(i * 1_000_000_000L / RATE));
                int n = i;
                clients.execute(() -> submits.add(submit(run, n)));
            }
        }
        long loadSeconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        chaos.get(3, TimeUnit.MINUTES); // the fault sequence ended (and rethrows what went wrong in it)

        Set<String> accepted = new HashSet<>();
        submits.stream().filter(s -> s.status() == 202).forEach(s -> accepted.add(s.jobId()));
        // every job on the topic (also those whose 202 the API's kill swallowed) ends, then the count is final
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            Map<String, List<JobEvent>> events = ledger.eventsByJob();
            return requested(ledger, mark).stream().allMatch(id -> terminalCount(events.get(id)) > 0);
        });
        Set<String> requested = requested(ledger, mark);
        Map<String, List<JobEvent>> events = ledger.eventsByJob();

        long lost = accepted.stream().filter(id -> terminalCount(events.get(id)) == 0).count();
        List<String> duplicated = requested.stream().filter(id -> terminalCount(events.get(id)) > 1).toList();
        long explained = duplicated.stream().filter(id -> inCommitWindow(events.get(id), kills)).count();
        // a broker restart can fence a worker: partitions it lost with jobs waiting for Kafka run them elsewhere too,
        // and only the end claims keep the second run from writing a second ending (counted, not allowed)
        Instant fencedUntil = brokerDown[1] == null ? null : brokerDown[1].plus(BROKER_FENCING);
        long atBrokerRestart = duplicated.stream().filter(id -> !inCommitWindow(events.get(id), kills))
                .filter(id -> events.get(id).stream().filter(FaultInjectionTest::isTerminal).skip(1)
                        .anyMatch(e -> !e.at().isBefore(brokerDown[0]) && e.at().isBefore(fencedUntil)))
                .count();
        long inFlightAtKills = kills.stream().mapToLong(kill -> requested.stream()
                .filter(id -> inFlightAt(events.get(id), kill)).count()).sum();
        long inFlightAtBrokerKill = requested.stream().filter(id -> events.get(id) != null
                && events.get(id).stream().anyMatch(e -> e instanceof JobStarted st && st.at().isBefore(brokerDown[0]))
                && events.get(id).stream().noneMatch(e -> isTerminal(e) && e.at().isBefore(brokerDown[0]))).count();
        long startedTwice = requested.stream().filter(id -> events.get(id).stream()
                .filter(JobStarted.class::isInstance).count() > 1).count();
        int extraCalls = gemini.calls() - requested.size();
        List<Submit> down = submits.stream().filter(s -> s.startNanos() >= brokerDownNanos[0]
                && s.startNanos() < brokerDownNanos[1]).toList();
        List<Submit> refused = down.stream().filter(s -> s.status() == 503).toList();
        long serverErrors = submits.stream().filter(s -> s.status() >= 500 && s.status() != 503).count();
        long unanswered = submits.stream().filter(s -> s.status() < 0).count();
        Duration resumed = events.values().stream().flatMap(List::stream)
                .filter(e -> isTerminal(e) && e.at().isAfter(brokerDown[1])).map(JobEvent::at)
                .min(Comparator.naturalOrder()).map(at -> Duration.between(brokerDown[1], at)).orElse(null);

        System.out.printf("""
                fault injection: %d submits at %d/s over %d s; %d accepted (202), %d jobs on genpipe.jobs
                  lost accepted jobs: %d
                  jobs with more than one terminal event: %d (%d finished less than %d ms before their worker's kill, %d run again around the broker restart)
                  jobs started more than once: %d
                  Gemini calls: %d for %d jobs, extra %d; jobs a killed worker had started and not ended: %d (stand-in in flight at the kills: %s)
                  broker down %d ms: %d submits, %d answered 503 (max %d ms, median %d ms; all with Retry-After: %s)
                  jobs running when the broker was killed: %d; first terminal event after the broker was back: %s ms
                  answered 5xx other than 503: %d; unanswered (API down): %d
                """, submits.size(), RATE, loadSeconds, accepted.size(), requested.size(), lost,
                duplicated.size(), explained, COMMIT_WINDOW.toMillis(), atBrokerRestart, startedTwice, gemini.calls(),
                requested.size(), extraCalls, inFlightAtKills, kills.stream().map(Kill::standInInFlight).toList(),
                Duration.between(brokerDown[0], brokerDown[1]).toMillis(), down.size(), refused.size(),
                refused.stream().mapToLong(s -> s.took().toMillis()).max().orElse(0), median(refused),
                refused.stream().allMatch(s -> s.retryAfter() != null), inFlightAtBrokerKill,
                resumed == null ? "-" : Long.toString(resumed.toMillis()), serverErrors, unanswered);

        assertThat(accepted).as("accepted jobs").isNotEmpty();
        assertThat(inFlightAtBrokerKill).as("jobs running when the broker was killed (it was killed under load)")
                .isPositive();
        assertThat(lost).as("accepted jobs without a terminal event").isZero();
        assertThat(duplicated.size() - explained).as("second terminal events not explained by a kill right after"
                + " the first (" + atBrokerRestart + " of them around the broker's restart): " + duplicated).isZero();
        assertThat(explained).as("jobs killed between their ending's acknowledgement and its done mark")
                .isLessThanOrEqualTo(kills.size());
        // a job that finished in the commit window right before its worker's kill runs again (its second terminal
        // event is counted in "explained" above), and its result may not be in Redis yet: it may cost a call too
        assertThat(extraCalls).as("extra Gemini calls, at most the jobs in flight in a killed worker and those run "
                + "again from the commit window before a kill").isLessThanOrEqualTo((int) (inFlightAtKills + explained));
        assertThat(serverErrors).as("5xx answers other than 503").isZero();
        assertThat(refused).as("503s while the broker was down carry Retry-After")
                .allMatch(s -> s.retryAfter() != null);
    }

    private Submit submit(String run, int n) {
        long started = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/jobs"))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", run + "-" + n)
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"type":"SUBTOPICS","input":{"topic":"Fault %s %d"}}""".formatted(run, n))).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String jobId = response.statusCode() == 202
                    ? GenPipeJson.mapper().readTree(response.body()).get("jobId").asString() : null;
            return new Submit(started, System.nanoTime(), response.statusCode(), jobId,
                    response.headers().firstValue("Retry-After").orElse(null));
        } catch (IOException e) { // the API is down (killed, restarting)
            return new Submit(started, System.nanoTime(), -1, null, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Submit(started, System.nanoTime(), -1, null, null);
        }
    }

    private static Set<String> requested(TopicLedger ledger, Map<org.apache.kafka.common.TopicPartition, Long> mark) {
        Set<String> ids = new HashSet<>();
        for (TopicLedger.Entry entry : ledger.since(mark)) {
            if (entry.topic().equals(Topics.JOBS)) {
                ids.add(REQUESTS.deserialize(entry.topic(), entry.value()).jobId().toString());
            }
        }
        return ids;
    }

    private static boolean isTerminal(JobEvent event) {
        return event instanceof JobSucceeded || event instanceof JobFailed || event instanceof JobCancelled;
    }

    private static long terminalCount(List<JobEvent> events) {
        return events == null ? 0 : events.stream().filter(FaultInjectionTest::isTerminal).count();
    }

    /** Started by the killed worker before its kill, and not ended before it: this job's call may be paid twice. */
    private static boolean inFlightAt(List<JobEvent> events, Kill kill) {
        if (events == null) {
            return false;
        }
        boolean started = events.stream().anyMatch(e -> e instanceof JobStarted s
                && s.workerId().equals(kill.workerId()) && s.at().isBefore(kill.at()));
        return started && events.stream().noneMatch(e -> isTerminal(e) && e.at().isBefore(kill.at()));
    }

    /** Its first terminal event came from a killed worker within the commit window before the kill. */
    private static boolean inCommitWindow(List<JobEvent> events, Collection<Kill> kills) {
        Instant first = events.stream().filter(FaultInjectionTest::isTerminal).map(JobEvent::at).findFirst()
                .orElseThrow();
        return kills.stream().anyMatch(kill -> !first.isAfter(kill.at())
                && first.isAfter(kill.at().minus(COMMIT_WINDOW))
                && events.stream().anyMatch(e -> e instanceof JobStarted s && s.workerId().equals(kill.workerId())
                        && s.at().isBefore(first)));
    }

    private static long median(List<Submit> submits) {
        List<Long> millis = submits.stream().map(s -> s.took().toMillis()).sorted().toList();
        return millis.isEmpty() ? 0 : millis.get(millis.size() / 2);
    }

    /** Pacing, not waiting for an outcome. */
    private static void pause(Duration time) {
        at(System.nanoTime(), time);
    }

    /** Pacing, not waiting for an outcome: parks until {@code offset} after {@code start}. */
    private static void at(long start, Duration offset) {
        long until = start + offset.toNanos();
        for (long left; (left = until - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left);
        }
    }

    private void startBroker() {
        broker = JarProcess.start("faults-kafka", JarProcess.DEVSTACK_JAR, "512m", "kafka ready ", List.of("kafka",
                "--port", Integer.toString(brokerPort), "--data-dir", brokerData.toString(), "--watch-stdin"));
        String ready = broker.awaitLine(120);
        bootstrap = ready.substring(ready.indexOf("kafka ready ") + "kafka ready ".length()).strip();
    }

    private void startApi() {
        api = JarProcess.start("faults-api", JarProcess.API_JAR, "384m", null, List.of(
                "--server.port=" + apiPort,
                "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--genpipe.api.topic-partitions=" + GenPipeStack.PARTITIONS,
                "--genpipe.clients.submits-per-minute=100000",
                "--genpipe.clients.open-access=true"));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(this::apiReady);
    }

    private boolean apiReady() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort
                            + "/actuator/health/readiness")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void startWorker(int i) {
        workers[i] = JarProcess.start("faults-w" + i, JarProcess.WORKER_JAR, "256m", "consuming " + Topics.JOBS,
                JarProcess.workerArgs("fault-w" + i, bootstrap, GenPipeStack.PARTITIONS, gemini.baseUrl(),
                        redis.host(), redis.port(), "--" + WorkerCrashTest.SESSION_TIMEOUT,
                        "--" + WorkerCrashTest.HEARTBEAT, "--genpipe.worker.shutdown-grace=2s"));
        workers[i].awaitLine(120);
    }

    /** A few jobs through the whole system, so the measured run starts warm and with both workers in the group. */
    private void warmUp() {
        ApiClient client = new ApiClient("http://127.0.0.1:" + apiPort);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(client.submitted("""
                    {"type":"SUBTOPICS","input":{"topic":"Warm-up %s %d"}}""".formatted(UUID.randomUUID(), i)));
        }
        ids.forEach(id -> PipelineTest.awaitStatus(client, id, "SUCCEEDED"));
    }
}
