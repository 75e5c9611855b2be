package dev.genpipe.devstack;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/**
 * A local HTTP server that answers like the Gemini API does for the google-genai Java SDK, so the
 * whole pipeline runs offline and tests can inject latency and failures.
 *
 * <h2>Endpoints</h2>
 * <ul>
 *   <li>{@code POST /{version}/models/{model}:generateContent} and
 *       {@code POST /{version}/models/{model}:streamGenerateContent?alt=sse} (any version, any model).
 *       The {@code x-goog-api-key} header must be present (any value); without it the answer is
 *       401 UNAUTHENTICATED.</li>
 *   <li>Admin: {@code GET /standin/stats} → {@code {"calls":N,"latencyMs":..,"failure":..,...}};
 *       {@code POST /standin/config} with {@code {"hold":true}} (calls wait), {@code {"allow":2}} (two of them go),
 *       {@code {"hold":false}} (all go), {@code {"latencyMs":200,"failure":"UNAVAILABLE","failCount":3,
 *       "retryDelaySeconds":2,"dailyRetryDelaySeconds":3600}} (absent keys are left as they are;
 *       {@code failCount} absent or -1 means "until recovered"; {@code "failure":null} recovers),
 *       {@code {"failModel":"gemini-2.5-flash","failure":"DAILY_QUOTA"}} (calls to that model only, until
 *       recovered; {@code "failure":null} recovers that model);
 *       {@code POST /standin/reset}.</li>
 * </ul>
 *
 * <h2>Content</h2>
 * The text is deterministic: the same prompt always gives the same text. The prompt is the text of
 * {@code contents[].parts[].text} followed by {@code systemInstruction}'s text. Tags in it are used when
 * present: {@code <topic>}, {@code <subtopic>}, {@code <count>}, {@code <level>} (fallbacks: the first
 * 60 characters of the prompt, the topic, 5, "general"). With {@code generationConfig.responseMimeType}
 * {@code application/json} the text is a JSON array of {@code count} distinct subtopic titles; otherwise a
 * Markdown explanation of about 150 words. Token counts are word counts. A stream sends the same text
 * in 4 to 8 chunks, the latency spread over them; the last chunk has finishReason STOP and usageMetadata.
 *
 * <h2>Per-request directives</h2>
 * Text in the prompt (for example inside the topic a test submits) changes that one call:
 * <ul>
 *   <li>{@code [[standin:fail=400]]} — also {@code 429}, {@code 429-daily}, {@code 429-per-day},
 *       {@code 429-no-delay}, {@code 500}, {@code 503},
 *       {@code hang} (or a {@link Failure} name): the call fails that way. Such calls do not use up a
 *       {@link #failNext} budget.</li>
 *   <li>{@code [[standin:latency=1500]]} — this call's latency in milliseconds.</li>
 * </ul>
 * Directives are removed before the content is generated.
 *
 * <h2>Behaviour</h2>
 * Latency applies to every answered call, successful or failed. Settings are thread-safe and can change
 * while calls are in flight; each call reads them once, when it arrives. Every request is served on
 * its own virtual thread, so hundreds of slow calls run in parallel.
 */
public final class GeminiStandIn implements AutoCloseable {

    /** A failure the stand-in can inject, with Google's status for it. */
    public enum Failure {
        /** 400 INVALID_ARGUMENT. */
        BAD_REQUEST(400, "400"),
        /** 429 RESOURCE_EXHAUSTED, per-minute quota, RetryInfo with {@link #retryDelay(Duration)} (default 2s). */
        RATE_LIMITED(429, "429"),
        /** 429 RESOURCE_EXHAUSTED, per-day quota, RetryInfo with {@link #dailyRetryDelay(Duration)} (default 3600s). */
        QUOTA_EXHAUSTED_DAILY(429, "429-daily"),
        /**
         * 429 RESOURCE_EXHAUSTED as Gemini answers a spent per-day quota: the message names no quota and asks to
         * "retry in 13s"; only {@code details} tell: a {@code QuotaFailure} whose quota id is
         * {@code GenerateRequestsPerDayPerProjectPerModel-FreeTier}, and a RetryInfo of 13s.
         */
        DAILY_QUOTA(429, "429-per-day"),
        /**
         * 429 RESOURCE_EXHAUSTED with only Gemini's message "You exceeded your current quota, please check your plan
         * and billing details…": no details, no retry delay (a spent quota, or a plan without one).
         */
        QUOTA_NO_DELAY(429, "429-no-delay"),
        /** 500 INTERNAL. */
        SERVER_ERROR(500, "500"),
        /** 503 UNAVAILABLE "The model is overloaded". */
        UNAVAILABLE(503, "503"),
        /** Never answers: holds the request until the client gives up or the stand-in closes. */
        HANG(0, "hang");

        private final int httpStatus;
        private final String directive;

        Failure(int httpStatus, String directive) {
            this.httpStatus = httpStatus;
            this.directive = directive;
        }

        /** The HTTP status answered, 0 for {@link #HANG}. */
        public int httpStatus() {
            return httpStatus;
        }

        /** Accepts a name ({@code UNAVAILABLE}, any case) or a directive value ({@code 503}, {@code 429-daily}). */
        public static Failure parse(String value) {
            for (Failure failure : values()) {
                if (failure.name().equalsIgnoreCase(value) || failure.directive.equalsIgnoreCase(value)) {
                    return failure;
                }
            }
            throw new IllegalArgumentException("unknown stand-in failure '" + value + "'");
        }
    }

    /**
     * A generate request the stand-in received.
     *
     * @param at when it was received
     * @param model the model in the path
     * @param apiVersion the version prefix, such as {@code v1} or {@code v1beta}
     * @param stream whether it was {@code streamGenerateContent}
     * @param prompt the prompt text (contents, then system instruction)
     * @param httpStatus the status answered; 0 for a call that hangs
     */
    public record ReceivedCall(Instant at, String model, String apiVersion, boolean stream, String prompt,
            int httpStatus) {
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final CountDownLatch closing = new CountDownLatch(1);
    private final StandInSettings settings = new StandInSettings();
    private final CallLog log = new CallLog();

    private GeminiStandIn(InetAddress address, int port) throws IOException {
        JsonMapper mapper = JsonMapper.builder().build();
        executor = Executors.newVirtualThreadPerTaskExecutor();
        server = HttpServer.create(new InetSocketAddress(address, port), 1024);
        server.setExecutor(executor);
        server.createContext("/", new GenerateHandler(settings, log, closing, mapper));
        server.createContext("/standin/", new AdminHandler(this, mapper));
        server.start();
    }

    /** Starts a stand-in on a free port of 127.0.0.1. */
    public static GeminiStandIn start() {
        return start(0);
    }

    /** Starts a stand-in on the given port of 127.0.0.1 (0 for a free one). */
    public static GeminiStandIn start(int port) {
        return start(InetAddress.getLoopbackAddress(), port);
    }

    /** Starts a stand-in on the given address (a container listens on all its addresses). */
    static GeminiStandIn start(InetAddress address, int port) {
        try {
            return new GeminiStandIn(address, port);
        } catch (IOException e) {
            throw new UncheckedIOException("Gemini stand-in could not listen on " + address + ":" + port, e);
        }
    }

    /** The base URL to give the SDK, such as {@code http://127.0.0.1:18089}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Sets the latency of every following call (default zero). */
    public GeminiStandIn latency(Duration latency) {
        settings.latency(latency);
        return this;
    }

    /** Makes the next {@code count} calls fail this way, then answer normally again. */
    public GeminiStandIn failNext(int count, Failure failure) {
        settings.failNext(count, failure);
        return this;
    }

    /** Makes every call fail this way until {@link #recover()}. */
    public GeminiStandIn failAlways(Failure failure) {
        settings.failAlways(failure);
        return this;
    }

    /**
     * Makes every call to {@code model} fail this way until {@link #recover()} or {@code failModel(model, null)};
     * calls to other models answer as the other settings say. A model's failure comes before {@link #failNext}.
     */
    public GeminiStandIn failModel(String model, Failure failure) {
        settings.failModel(model, failure);
        return this;
    }

    /** Stops injecting failures, every model's too (hanging calls stay hung until the stand-in closes). */
    public GeminiStandIn recover() {
        settings.recover();
        return this;
    }

    /** The RetryInfo delay of {@link Failure#RATE_LIMITED} answers (default 2 s, whole seconds). */
    public GeminiStandIn retryDelay(Duration delay) {
        settings.retryDelay(delay);
        return this;
    }

    /** The RetryInfo delay of {@link Failure#QUOTA_EXHAUSTED_DAILY} answers (default 3600 s, whole seconds). */
    public GeminiStandIn dailyRetryDelay(Duration delay) {
        settings.dailyRetryDelay(delay);
        return this;
    }

    /** The number of generate and stream requests received, failed ones included. */
    public int calls() {
        return log.count();
    }

    /** The most calls answered at the same time since the start or the last {@link #reset()}. */
    /**
     * Holds every call that arrives from now on (they count as in flight) until {@link #release()}: a test can let
     * exactly as many calls pile up as the system under test sends at once, whatever the machine's speed.
     */
    public GeminiStandIn hold() {
        settings.hold();
        return this;
    }

    /** Lets {@code calls} of the held calls (or of the next ones) be answered; the others stay held. */
    public GeminiStandIn allow(int calls) {
        settings.allow(calls);
        return this;
    }

    /** Lets the held calls (and every later one) be answered. */
    public GeminiStandIn release() {
        settings.release();
        return this;
    }

    /** Calls being answered (or held) right now. */
    public int inFlight() {
        return log.inFlight();
    }

    public int peakConcurrency() {
        return log.peakConcurrency();
    }

    /** The received calls, oldest first (the most recent 10,000). */
    public List<ReceivedCall> received() {
        return log.recent();
    }

    /** Clears the counters and puts latency, failures and retry delays back to their defaults. */
    public void reset() {
        settings.reset();
        log.reset();
    }

    StandInSettings.Snapshot settings() {
        return settings.snapshot();
    }

    /** Stops the server; hanging and delayed calls are dropped without an answer. */
    @Override
    public void close() {
        closing.countDown();
        settings.release(); // held calls end too
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a stand-in on its own: {@code --port N} (default 0, a free port), {@code --latency-ms N}. */
    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        long latencyMs = 0;
        InetAddress address = InetAddress.getLoopbackAddress();
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--latency-ms" -> latencyMs = Long.parseLong(args[i + 1]);
                case "--bind" -> address = bindAddress(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (use --port N, --latency-ms N, --bind ADDRESS)");
            }
        }
        GeminiStandIn standIn = start(address, port).latency(Duration.ofMillis(latencyMs));
        Runtime.getRuntime().addShutdownHook(new Thread(standIn::close, "gemini-stand-in-stop"));
        System.out.println(String.format(Locale.ROOT, "Gemini stand-in listening at %s (latency %d ms); "
                + "admin: GET %s/standin/stats. Ctrl-C stops it.", standIn.baseUrl(), latencyMs, standIn.baseUrl()));
        new CountDownLatch(1).await();
    }

    private static InetAddress bindAddress(String name) {
        try {
            return InetAddress.getByName(name);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("--bind: unknown address " + name, e);
        }
    }
}
