package dev.genpipe.bench;

import dev.genpipe.devstack.GeminiStandIn;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** The GenPipe-only figures: the cache-hit path, a presentation against the sum of its calls, raw submit throughput. */
final class GenPipeOnly {

    private final GenPipeClient client;
    private final GeminiStandIn standIn;
    private final BenchSettings settings;
    private final Consumer<String> log;

    GenPipeOnly(GenPipeClient client, GeminiStandIn standIn, BenchSettings settings, Consumer<String> log) {
        this.client = client;
        this.standIn = standIn;
        this.settings = settings;
        this.log = log;
    }

    /** Submit → completion of requests already in the cache, one at a time. */
    record CacheHit(int jobs, int cachedAnswers, int failures, Percentiles submit, Percentiles endToEnd,
                    RunStats.Breakdown breakdown, Percentiles waited, int waitedAnswers) {
    }

    /** A presentation's completion time against its Gemini calls; {@code note} says why there is none. */
    record Presentation(boolean available, String note, int sections, int runs, Percentiles endToEnd,
                        double callsPerPresentation, List<String> eventKinds) {
    }

    /** Closed-loop submits by many clients (the workers stopped): how many 202s per second the API gives. */
    record SubmitThroughput(int clients, int durationS, int accepted, Map<Integer, Integer> otherStatuses,
                            int errors, double perSecond, Percentiles latency, List<Resources.Usage> usage) {
    }

    CacheHit cacheHit(String runId) throws InterruptedException {
        try (GenPipeClient.AllJobs all = client.followAll()) {
            return cacheHit(runId, all);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the stream of all jobs", e);
        }
    }

    /** Completions are heard on the client's stream of all its jobs, open before the first submit. */
    private CacheHit cacheHit(String runId, GenPipeClient.AllJobs all) throws InterruptedException {
        java.time.Duration bound = java.time.Duration.ofSeconds(settings.drainTimeoutS());
        int n = settings.cacheHitJobs();
        // prime the cache: every request once (the worker runs up to C of them at a time)
        CountDownLatch primed = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            String body = body(runId, i);
            Thread.ofVirtual().start(() -> {
                try {
                    GenPipeClient.Submitted s = client.submit(body);
                    if (s.accepted()) {
                        all.await(s.jobId(), bound);
                    }
                } catch (IOException ignored) {
                    // counted below as a miss if it matters
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    primed.countDown();
                }
            });
        }
        primed.await(settings.drainTimeoutS() + 10L, TimeUnit.SECONDS);
        List<Double> submit = new ArrayList<>();
        List<Double> e2e = new ArrayList<>();
        List<Double> toQueued = new ArrayList<>();
        List<Double> waiting = new ArrayList<>();
        List<Double> running = new ArrayList<>();
        List<Double> notifying = new ArrayList<>();
        int cached = 0;
        int failures = 0;
        long deadline = System.nanoTime() + settings.drainTimeoutS() * 2_000_000_000L;
        for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
            try {
                long sentAt = GenPipeClient.micros(java.time.Instant.now());
                long sent = System.nanoTime();
                GenPipeClient.Submitted s = client.submit(body(runId, i));
                long acked = System.nanoTime();
                if (!s.accepted()) {
                    failures++;
                    continue;
                }
                GenPipeClient.Outcome outcome = all.await(s.jobId(), bound);
                if (outcome == null || !"succeeded".equals(outcome.terminal())) {
                    failures++;
                    continue;
                }
                submit.add((acked - sent) / 1e6);
                e2e.add((outcome.notifiedNanos() - sent) / 1e6);
                if (outcome.cached()) {
                    cached++;
                }
                Map<String, Long> at = outcome.eventAtMicros();
                if (at.containsKey("queued") && at.containsKey("started") && at.containsKey("succeeded")) {
                    toQueued.add((at.get("queued") - sentAt) / 1000.0);
                    waiting.add((at.get("started") - at.get("queued")) / 1000.0);
                    running.add((at.get("succeeded") - at.get("started")) / 1000.0);
                    notifying.add((outcome.notifiedAtMicros() - at.get("succeeded")) / 1000.0);
                }
            } catch (IOException e) {
                failures++;
            }
        }
        // the same cached requests once more, each in one round trip: POST with Prefer: wait answers 200 with the job
        List<Double> waited = new ArrayList<>();
        for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
            try {
                long sent = System.nanoTime();
                GenPipeClient.Submitted s = client.submit(body(runId, i), "wait=10");
                if (s.status() == 200 && s.body().contains("\"status\":\"SUCCEEDED\"")) {
                    waited.add((System.nanoTime() - sent) / 1e6);
                }
            } catch (IOException e) {
                failures++;
            }
        }
        return new CacheHit(n, cached, failures, Percentiles.of(submit), Percentiles.of(e2e),
                toQueued.isEmpty() ? null : new RunStats.Breakdown(Percentiles.of(toQueued), Percentiles.of(waiting),
                        Percentiles.of(running), Percentiles.of(notifying)), Percentiles.of(waited), waited.size());
    }

    Presentation presentation(String runId) throws InterruptedException {
        int sections = settings.presentationSections();
        List<Double> e2e = new ArrayList<>();
        List<String> kinds = List.of();
        int calls = 0;
        for (int run = 0; run < settings.presentationRuns(); run++) {
            standIn.reset();
            standIn.latency(java.time.Duration.ofMillis(settings.latencyMs()));
            String body = "{\"type\":\"PRESENTATION\",\"input\":{\"topic\":\"bench " + runId + " presentation " + run
                    + "\",\"sections\":" + sections + "}}";
            try {
                long sent = System.nanoTime();
                GenPipeClient.Submitted s = client.submit(body);
                if (s.status() == 400) {
                    return new Presentation(false, "not available in this build (POST /api/jobs answered 400: "
                            + abbreviate(s.body()) + ")", sections, 0, Percentiles.NONE, 0, List.of());
                }
                if (!s.accepted()) {
                    return new Presentation(false, "not available: POST /api/jobs answered " + s.status() + " "
                            + abbreviate(s.body()), sections, 0, Percentiles.NONE, 0, List.of());
                }
                GenPipeClient.Outcome outcome = followBounded(s.jobId());
                if (outcome == null || !"succeeded".equals(outcome.terminal())) {
                    String how = outcome == null ? "did not end within " + settings.drainTimeoutS() + " s"
                            : "ended " + outcome.terminal() + ": " + abbreviate(outcome.lastData());
                    return new Presentation(false, "accepted, but the presentation " + how, sections, 0,
                            Percentiles.NONE, 0, outcome == null ? List.of() : outcome.events());
                }
                e2e.add((outcome.notifiedNanos() - sent) / 1e6);
                kinds = outcome.events().stream().distinct().toList();
                calls += standIn.calls();
            } catch (IOException e) {
                return new Presentation(false, "failed: " + e.getMessage(), sections, 0, Percentiles.NONE, 0,
                        List.of());
            }
        }
        int runs = e2e.size();
        return new Presentation(true, null, sections, runs, Percentiles.of(e2e),
                runs == 0 ? 0 : calls / (double) runs, kinds);
    }

    /** Follows a job, closing the stream if it has not ended within the drain timeout. */
    private GenPipeClient.Outcome followBounded(String jobId) throws InterruptedException {
        GenPipeClient.Outcome[] outcome = new GenPipeClient.Outcome[1];
        Thread follower = Thread.ofVirtual().start(() -> {
            try {
                outcome[0] = client.follow(jobId);
            } catch (IOException ignored) {
                // no outcome
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (!follower.join(java.time.Duration.ofSeconds(settings.drainTimeoutS()))) {
            client.closeStreams();
            follower.join(java.time.Duration.ofSeconds(5));
        }
        return outcome[0];
    }

    SubmitThroughput submitThroughput(String runId, Resources resources) throws InterruptedException {
        int clients = settings.submitClients();
        long end = System.nanoTime() + settings.submitDurationS() * 1_000_000_000L;
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger sequence = new AtomicInteger();
        Map<Integer, Integer> others = new ConcurrentHashMap<>();
        List<List<Double>> latencies = new ArrayList<>();
        Resources.Phase phase = resources.begin();
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<Double> mine = new ArrayList<>();
            latencies.add(mine);
            threads.add(Thread.ofVirtual().start(() -> {
                while (System.nanoTime() < end) {
                    try {
                        long sent = System.nanoTime();
                        GenPipeClient.Submitted s = client.submit(body(runId, sequence.getAndIncrement()));
                        mine.add((System.nanoTime() - sent) / 1e6);
                        if (s.accepted()) {
                            accepted.incrementAndGet();
                        } else {
                            others.merge(s.status(), 1, Integer::sum);
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join(java.time.Duration.ofSeconds(settings.submitDurationS() + 40L));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Resources.Usage> usage = phase.end();
        List<Double> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        return new SubmitThroughput(clients, settings.submitDurationS(), accepted.get(), new TreeMap<>(others),
                errors.get(), accepted.get() / seconds, Percentiles.of(all), usage);
    }

    private static String body(String runId, int i) {
        return "{\"type\":\"SUBTOPICS\",\"input\":{\"topic\":\"bench " + runId + " topic " + i + "\",\"count\":5}}";
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > 160 ? flat.substring(0, 160) + "…" : flat;
    }
}
