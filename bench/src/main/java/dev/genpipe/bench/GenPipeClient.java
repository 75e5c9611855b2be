package dev.genpipe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The harness's HTTP client of the GenPipe API: submit a job, follow its SSE stream to the terminal event. Streams
 * still open at a deadline are closed by {@link #closeStreams()}, so no wait is unbounded.
 */
final class GenPipeClient implements AutoCloseable {

    private static final Pattern JOB_ID = Pattern.compile("\"jobId\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern AT = Pattern.compile("\"at\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern CACHED = Pattern.compile("\"cached\"\\s*:\\s*true");
    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "cancelled");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http;
    private final Set<InputStream> open = ConcurrentHashMap.newKeySet();

    GenPipeClient(URI base) {
        this.base = base;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The answer to a submit: the status, and the job id of a 202. */
    record Submitted(int status, String jobId, String body) {
        boolean accepted() {
            return status == 202 && jobId != null;
        }
    }

    /**
     * How a followed job ended.
     *
     * @param terminal         {@code succeeded}, {@code failed}, {@code cancelled}, or null if the stream ended first
     * @param notifiedNanos    {@link System#nanoTime()} when the terminal event arrived
     * @param notifiedAtMicros the same moment on the wall clock (µs since the epoch)
     * @param eventAtMicros    each event kind's first {@code at}, µs since the epoch
     * @param events           every event kind received, in order
     */
    record Outcome(String terminal, boolean cached, long notifiedNanos, long notifiedAtMicros,
                   Map<String, Long> eventAtMicros, java.util.List<String> events, String lastData) {
    }

    Submitted submit(String json) throws IOException, InterruptedException {
        return submit(json, null);
    }

    /** With {@code prefer} (e.g. {@code wait=10}) as the RFC 7240 Prefer header: 200 when the job ended in time. */
    Submitted submit(String json, String prefer) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve("/api/jobs")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (prefer != null) {
            builder.header("Prefer", prefer);
        }
        HttpRequest request = builder.build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        Matcher id = JOB_ID.matcher(response.body());
        return new Submitted(response.statusCode(), id.find() ? id.group(1) : null, response.body());
    }

    /** Follows {@code GET /api/jobs/{id}/events} until the terminal event (then reads the stream to its end). */
    Outcome follow(String jobId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/jobs/" + jobId + "/events"))
                .timeout(REQUEST_TIMEOUT).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        InputStream body = response.body();
        open.add(body);
        Tracker tracker = new Tracker();
        Outcome[] ended = new Outcome[1];
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                String text = reader.lines().reduce("", (a, b) -> a + b);
                throw new IOException("events of job " + jobId + ": HTTP " + response.statusCode() + " " + text);
            }
            frames(reader, (event, text) -> {
                if (ended[0] == null) {
                    ended[0] = tracker.see(event, text);
                }
            });
        } catch (IOException e) {
            if (ended[0] == null) {
                throw e;
            }
            // the terminal event arrived; a broken end of the stream does not matter
        } finally {
            open.remove(body);
        }
        return ended[0] != null ? ended[0] : tracker.unfinished();
    }

    /**
     * Opens {@code GET /api/jobs/events}, the stream of every job of this client, and reads it in the background:
     * one connection for a whole run, as BullMQ's side listens on one {@code QueueEvents}.
     */
    AllJobs followAll() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/jobs/events"))
                .header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("events of all jobs: HTTP " + response.statusCode());
        }
        AllJobs all = new AllJobs(response.body());
        open.add(response.body());
        Thread.ofVirtual().name("genpipe-all-jobs").start(all::read);
        return all;
    }

    /** The outcomes of a client's jobs, from its one stream of all of them. */
    final class AllJobs implements AutoCloseable {

        private final InputStream body;
        private final Map<String, Tracker> partial = new ConcurrentHashMap<>();
        private final Map<String, java.util.concurrent.CompletableFuture<Outcome>> outcomes =
                new ConcurrentHashMap<>();
        private volatile boolean ended;

        private AllJobs(InputStream body) {
            this.body = body;
        }

        /** How the job ended, once its terminal event arrived (null if the stream closed or time ran out first). */
        Outcome await(String jobId, Duration timeout) throws InterruptedException {
            java.util.concurrent.CompletableFuture<Outcome> future = outcome(jobId);
            if (ended) {
                future.complete(null);
            }
            try {
                return future.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                return null;
            } finally {
                outcomes.remove(jobId);
            }
        }

        private java.util.concurrent.CompletableFuture<Outcome> outcome(String jobId) {
            return outcomes.computeIfAbsent(jobId, id -> new java.util.concurrent.CompletableFuture<>());
        }

        private void read() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                frames(reader, this::frame);
            } catch (IOException e) {
                // closed by the harness, or the API went away: the waiting jobs end without an outcome
            } finally {
                ended = true;
                open.remove(body);
                outcomes.values().forEach(f -> f.complete(null));
            }
        }

        private void frame(String event, String text) {
            Matcher id = JOB_ID.matcher(text);
            if (!id.find()) {
                return;
            }
            String jobId = id.group(1);
            Outcome ended = partial.computeIfAbsent(jobId, k -> new Tracker()).see(event, text);
            if (ended != null) {
                partial.remove(jobId);
                outcome(jobId).complete(ended);
            }
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** {@code GET /api/jobs/{id}}: the status, or null when the job cannot be read. */
    String status(String jobId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/jobs/" + jobId)).timeout(REQUEST_TIMEOUT)
                .GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return null;
        }
        Matcher status = Pattern.compile("\"status\"\\s*:\\s*\"([A-Z_]+)\"").matcher(response.body());
        return status.find() ? status.group(1) : null;
    }

    /** Closes every stream still being followed: their followers end with an error. */
    void closeStreams() {
        for (InputStream stream : open) {
            try {
                stream.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** One job's events as they arrive: the first {@code at} of each kind, until the terminal one. */
    private static final class Tracker {

        private final Map<String, Long> at = new HashMap<>();
        private final java.util.List<String> kinds = new java.util.ArrayList<>();
        private String lastData;

        /** Records a frame; the outcome when it was the terminal event, else null. */
        Outcome see(String event, String text) {
            long nanos = System.nanoTime();
            kinds.add(event);
            lastData = text;
            Matcher when = AT.matcher(text);
            if (when.find()) {
                at.putIfAbsent(event, micros(Instant.parse(when.group(1))));
            }
            return TERMINAL.contains(event)
                    ? new Outcome(event, CACHED.matcher(text).find(), nanos, micros(Instant.now()), at, kinds, text)
                    : null;
        }

        Outcome unfinished() {
            return new Outcome(null, false, -1, -1, at, kinds, lastData);
        }
    }

    /** Reads SSE frames from {@code reader} until it ends, handing each named frame's event and data on. */
    private static void frames(BufferedReader reader, java.util.function.BiConsumer<String, String> frame)
            throws IOException {
        String event = null;
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (event != null) {
                    frame.accept(event, data.toString());
                }
                event = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).strip());
            }
        }
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    @Override
    public void close() {
        closeStreams();
        http.shutdownNow();
        executor.shutdownNow();
    }
}
