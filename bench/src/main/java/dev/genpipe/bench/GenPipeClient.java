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
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/jobs")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
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
        Map<String, Long> at = new HashMap<>();
        java.util.List<String> kinds = new java.util.ArrayList<>();
        String terminal = null;
        boolean cached = false;
        long notifiedNanos = -1;
        long notifiedAtMicros = -1;
        String lastData = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                String text = reader.lines().reduce("", (a, b) -> a + b);
                throw new IOException("events of job " + jobId + ": HTTP " + response.statusCode() + " " + text);
            }
            String event = null;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (event != null && terminal == null) {
                        kinds.add(event);
                        String text = data.toString();
                        lastData = text;
                        Matcher when = AT.matcher(text);
                        if (when.find()) {
                            at.putIfAbsent(event, micros(Instant.parse(when.group(1))));
                        }
                        if (TERMINAL.contains(event)) {
                            notifiedNanos = System.nanoTime();
                            notifiedAtMicros = micros(Instant.now());
                            terminal = event;
                            cached = CACHED.matcher(text).find();
                        }
                    }
                    event = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5).strip());
                }
            }
        } catch (IOException e) {
            if (terminal == null) {
                throw e;
            }
            // the terminal event arrived; a broken end of the stream does not matter
        } finally {
            open.remove(body);
        }
        return new Outcome(terminal, cached, notifiedNanos, notifiedAtMicros, at, kinds, lastData);
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
