package dev.genpipe.worker.gemini;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.Type;
import dev.genpipe.common.job.ExplanationInput;
import dev.genpipe.common.job.JobInput;
import dev.genpipe.common.job.JobResult;
import dev.genpipe.common.job.PresentationInput;
import dev.genpipe.common.job.SubtopicsInput;
import dev.genpipe.common.job.TokenUsage;
import dev.genpipe.common.kafka.GenPipeJson;
import dev.genpipe.worker.gemini.GeminiFailure.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One Gemini call per invocation, through the google-genai SDK (its own retries are off: the worker's retry policy
 * and circuit breaker see every failure). Model output is untrusted: structured output is validated before it
 * becomes a result.
 */
@Component
public class GeminiGateway {

    static final int MAX_SUBTOPIC_LENGTH = 200;

    private final Client client;
    private final GeminiSettings settings;

    GeminiGateway(Client client, GeminiSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    /** The primary model. */
    public String model() {
        return settings.model();
    }

    public String promptVersion() {
        return settings.promptVersion();
    }

    /** A generous estimate of the tokens (input + output) a call for {@code input} costs, for the shared budget. */
    public long estimateTokens(JobInput input) {
        return switch (input) {
            case SubtopicsInput s -> (Prompts.SYSTEM.length() + Prompts.subtopics(s).length()) / 4 + 20L * s.count();
            case ExplanationInput e -> (Prompts.SYSTEM.length() + Prompts.explanation(e).length()) / 4 + 800;
            case PresentationInput p -> estimateTokens(p.subtopics());
        };
    }

    /**
     * One call for {@code input} to {@code model}; an explanation is streamed ({@code streamGenerateContent}) and
     * each piece of text goes to {@code deltas} as it arrives.
     *
     * @throws GeminiFailure with the retry decision when the call gives no usable result
     */
    public Generation generate(JobInput input, String model, Consumer<String> deltas) {
        return switch (input) {
            case SubtopicsInput s -> subtopics(s, model);
            case ExplanationInput e -> explanation(e, model, deltas);
            case PresentationInput p -> subtopics(p.subtopics(), model); // a presentation starts with its subtopics
        };
    }

    private Generation subtopics(SubtopicsInput input, String model) {
        GenerateContentConfig config = baseConfig()
                .responseMimeType("application/json")
                .responseSchema(Schema.builder()
                        .type(Type.Known.ARRAY)
                        .items(Schema.builder().type(Type.Known.STRING))
                        .minItems((long) input.count())
                        .maxItems((long) input.count()))
                .build();
        String prompt = Prompts.subtopics(input);
        GenerateContentResponse response = call(model, prompt, config);
        String answer = text(response);
        PromptEcho.of(Prompts.SYSTEM, prompt, Prompts.data(input)).check(answer);
        return new Generation(new JobResult.Subtopics(parseSubtopics(answer, input.count())), usage(response), model);
    }

    private Generation explanation(ExplanationInput input, String model, Consumer<String> deltas) {
        String prompt = Prompts.explanation(input);
        PromptEcho.Stream text = PromptEcho.of(Prompts.SYSTEM, prompt, Prompts.data(input)).stream();
        GenerateContentResponse last = null;
        try (ResponseStream<GenerateContentResponse> stream = client.models.generateContentStream(model,
                prompt, baseConfig().build())) {
            for (GenerateContentResponse chunk : stream) {
                last = chunk;
                checkSafety(chunk);
                String piece = chunk.text();
                if (piece != null && !piece.isEmpty()) {
                    send(deltas, text.accept(piece)); // held back until it cannot be the start of an echo
                }
            }
            guard(text.text());
            send(deltas, text.finish());
        } catch (GeminiFailure failure) {
            throw failure;
        } catch (RuntimeException e) {
            throw GeminiFailures.classify(e);
        }
        String markdown = text.text().strip();
        if (markdown.isEmpty()) {
            throw new GeminiFailure(Kind.INVALID_OUTPUT, "Gemini returned no text");
        }
        return new Generation(new JobResult.Explanation(markdown), last == null ? TokenUsage.NONE : usage(last),
                model);
    }

    private static void send(Consumer<String> deltas, String text) {
        if (!text.isEmpty()) {
            deltas.accept(text);
        }
    }

    private GenerateContentConfig.Builder baseConfig() {
        return GenerateContentConfig.builder()
                .systemInstruction(Content.fromParts(Part.fromText(Prompts.SYSTEM)));
    }

    private GenerateContentResponse call(String model, String prompt, GenerateContentConfig config) {
        try {
            return client.models.generateContent(model, prompt, config);
        } catch (RuntimeException e) {
            throw GeminiFailures.classify(e);
        }
    }

    private static String text(GenerateContentResponse response) {
        checkSafety(response);
        String text = response.text();
        if (text == null || text.isBlank()) {
            throw new GeminiFailure(Kind.INVALID_OUTPUT, "Gemini returned no text (finish reason "
                    + response.finishReason() + ")");
        }
        guard(text);
        return text.strip();
    }

    private static void checkSafety(GenerateContentResponse response) {
        response.promptFeedback().flatMap(f -> f.blockReason()).ifPresent(reason -> {
            throw new GeminiFailure(Kind.BLOCKED, "Gemini blocked the prompt: " + reason);
        });
        String finish = response.finishReason() == null ? "" : response.finishReason().toString();
        if (finish.contains("SAFETY") || finish.contains("PROHIBITED") || finish.contains("BLOCKLIST")) {
            throw new GeminiFailure(Kind.BLOCKED, "Gemini stopped the answer: " + finish);
        }
    }

    /** An answer that repeats the system prompt's canary is a successful injection: it never leaves the worker. */
    private static void guard(String text) {
        if (text.contains(Prompts.CANARY)) {
            throw new GeminiFailure(Kind.INVALID_OUTPUT,
                    "Gemini's answer repeated GenPipe's instructions (a prompt injection); it was discarded");
        }
    }

    static List<String> parseSubtopics(String text, int expected) {
        JsonNode node;
        try {
            node = GenPipeJson.mapper().readTree(text);
        } catch (JacksonException e) {
            throw new GeminiFailure(Kind.INVALID_OUTPUT, "Gemini's subtopics are not valid JSON");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new GeminiFailure(Kind.INVALID_OUTPUT, "Gemini's subtopics are not a non-empty JSON array");
        }
        List<String> subtopics = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isString() || item.asString().isBlank() || item.asString().length() > MAX_SUBTOPIC_LENGTH) {
                throw new GeminiFailure(Kind.INVALID_OUTPUT, "Gemini's subtopics contain an item that is not a short text");
            }
            subtopics.add(item.asString().strip());
        }
        return subtopics.size() > expected ? List.copyOf(subtopics.subList(0, expected)) : subtopics;
    }

    private static TokenUsage usage(GenerateContentResponse response) {
        return response.usageMetadata().map(GeminiGateway::usage).orElse(TokenUsage.NONE);
    }

    private static TokenUsage usage(GenerateContentResponseUsageMetadata m) {
        int input = m.promptTokenCount().orElse(0);
        int output = m.candidatesTokenCount().orElse(0) + m.thoughtsTokenCount().orElse(0);
        return new TokenUsage(input, output, m.totalTokenCount().orElse(input + output));
    }
}
