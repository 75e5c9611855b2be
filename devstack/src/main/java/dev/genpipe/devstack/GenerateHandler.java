package dev.genpipe.devstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.genpipe.devstack.GeminiStandIn.Failure;
import dev.genpipe.devstack.GeminiStandIn.ReceivedCall;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Serves {@code POST /{version}/models/{model}:generateContent} and {@code :streamGenerateContent}. */
final class GenerateHandler implements HttpHandler {

    private static final Pattern MODEL_CALL =
            Pattern.compile("/([^/]+)/models/([^/:]+):(generateContent|streamGenerateContent)");
    private static final Duration LONGEST_HANG = Duration.ofHours(1);

    private final StandInSettings settings;
    private final CallLog log;
    private final CountDownLatch closing;
    private final JsonMapper mapper;
    private final FakeContent content;
    private final GeminiResponses responses;
    private final GoogleErrors errors;

    GenerateHandler(StandInSettings settings, CallLog log, CountDownLatch closing, JsonMapper mapper) {
        this.settings = settings;
        this.log = log;
        this.closing = closing;
        this.mapper = mapper;
        this.content = new FakeContent(mapper);
        this.responses = new GeminiResponses(mapper);
        this.errors = new GoogleErrors(mapper);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher call = MODEL_CALL.matcher(exchange.getRequestURI().getPath());
            if (!call.matches() || !exchange.getRequestMethod().equals("POST")) {
                HttpReplies.json(exchange, 404, errors.simple(404, "NOT_FOUND",
                        "The stand-in serves POST /{version}/models/{model}:generateContent and :streamGenerateContent"));
                return;
            }
            log.began();
            try {
                serve(exchange, call.group(1), call.group(2), call.group(3).equals("streamGenerateContent"));
            } finally {
                log.ended();
            }
        } catch (InterruptedException closed) {
            // the stand-in is closing: drop the connection without an answer
            Thread.currentThread().interrupt();
        }
    }

    private void serve(HttpExchange exchange, String apiVersion, String model, boolean stream)
            throws IOException, InterruptedException {
        String body = HttpReplies.body(exchange);
        StandInRequest request = null;
        String parseError = null;
        try {
            request = StandInRequest.parse(mapper, body);
        } catch (JacksonException e) {
            parseError = e.getOriginalMessage();
        }
        String apiKey = exchange.getRequestHeaders().getFirst("x-goog-api-key");
        if (apiKey == null || apiKey.isBlank()) {
            reject(exchange, apiVersion, model, stream, request == null ? body : request.prompt(), 401,
                    "UNAUTHENTICATED", "Request is missing required authentication credential. "
                            + "Expected an API key in the x-goog-api-key header.");
            return;
        }
        if (request == null) {
            reject(exchange, apiVersion, model, stream, body, 400, "INVALID_ARGUMENT",
                    "Invalid JSON payload received. " + parseError);
            return;
        }
        Directives directives = Directives.parse(request.prompt());
        StandInSettings.Snapshot now = settings.snapshot();
        Failure failure = directives.failure() != null ? directives.failure() : settings.takeFailure(model);
        Duration latency = directives.latency() != null ? directives.latency() : now.latency();
        int status = failure == null ? 200 : failure.httpStatus();
        log.record(new ReceivedCall(Instant.now(), model, apiVersion, stream, request.prompt(), status));
        java.util.concurrent.Semaphore gate = settings.gate(); // held by the test, if it says so
        if (gate != null) {
            gate.tryAcquire(LONGEST_HANG.toMillis(), TimeUnit.MILLISECONDS);
        }
        answer(exchange, model, stream, request, failure, latency, now);
    }

    private void answer(HttpExchange exchange, String model, boolean stream, StandInRequest request, Failure failure,
            Duration latency, StandInSettings.Snapshot now) throws IOException, InterruptedException {
        if (failure == Failure.HANG) {
            closing.await(LONGEST_HANG.toMillis(), TimeUnit.MILLISECONDS);
        } else if (failure != null) {
            Thread.sleep(latency);
            HttpReplies.json(exchange, failure.httpStatus(), errors.forFailure(failure, model, now));
        } else if (stream) {
            streamReply(exchange, model, request, latency);
        } else {
            Thread.sleep(latency);
            String text = content.generate(request.prompt(), request.jsonMode());
            HttpReplies.json(exchange, 200, responses.whole(model, request.prompt(), text));
        }
    }

    private void reject(HttpExchange exchange, String apiVersion, String model, boolean stream, String prompt,
            int code, String status, String message) throws IOException {
        log.record(new ReceivedCall(Instant.now(), model, apiVersion, stream, prompt, code));
        HttpReplies.json(exchange, code, errors.simple(code, status, message));
    }

    private void streamReply(HttpExchange exchange, String model, StandInRequest request, Duration latency)
            throws IOException, InterruptedException {
        String text = content.generate(request.prompt(), request.jsonMode());
        List<String> pieces = GeminiResponses.split(text);
        Duration perPiece = latency.dividedBy(pieces.size());
        Thread.sleep(perPiece);
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < pieces.size(); i++) {
                if (i > 0) {
                    Thread.sleep(perPiece);
                }
                boolean last = i == pieces.size() - 1;
                String frame = "data: " + responses.chunk(model, request.prompt(), pieces.get(i), text, last) + "\r\n\r\n";
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        }
    }
}
