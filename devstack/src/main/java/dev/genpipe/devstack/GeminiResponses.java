package dev.genpipe.devstack;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Builds {@code GenerateContentResponse} JSON, whole or as stream chunks. */
final class GeminiResponses {

    static final int MIN_CHUNKS = 4;
    private static final int MAX_CHUNKS = 8;
    private static final int WORDS_PER_CHUNK = 25;

    private final JsonMapper mapper;

    GeminiResponses(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** A complete response: the whole text, finishReason STOP and usage metadata. */
    String whole(String model, String prompt, String text) {
        return chunk(model, prompt, text, text, true);
    }

    /** One stream chunk; the last one carries finishReason STOP and usage metadata for the whole text. */
    String chunk(String model, String prompt, String piece, String wholeText, boolean last) {
        ObjectNode response = mapper.createObjectNode();
        ObjectNode candidate = response.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.put("role", "model");
        content.putArray("parts").addObject().put("text", piece);
        if (last) {
            candidate.put("finishReason", "STOP");
        }
        candidate.put("index", 0);
        if (last) {
            int promptTokens = FakeContent.words(prompt);
            int outputTokens = FakeContent.words(wholeText);
            ObjectNode usage = response.putObject("usageMetadata");
            usage.put("promptTokenCount", promptTokens);
            usage.put("candidatesTokenCount", outputTokens);
            usage.put("totalTokenCount", promptTokens + outputTokens);
        }
        response.put("modelVersion", model);
        return mapper.writeValueAsString(response);
    }

    /**
     * Splits a text into 4 to 8 pieces (fewer only if the text is shorter than 4 characters) whose
     * concatenation is the text; cuts fall after whitespace where there is some nearby.
     */
    static List<String> split(String text) {
        int pieces = Math.clamp(FakeContent.words(text) / WORDS_PER_CHUNK, MIN_CHUNKS, MAX_CHUNKS);
        pieces = Math.max(1, Math.min(pieces, text.length()));
        List<String> result = new ArrayList<>(pieces);
        int start = 0;
        for (int i = 1; i < pieces; i++) {
            int cut = Math.max(start + 1, (int) ((long) text.length() * i / pieces));
            int space = text.indexOf(' ', cut);
            int limit = (int) ((long) text.length() * (i + 1) / pieces) - 1;
            if (space >= 0 && space < limit) {
                cut = space + 1;
            }
            if (cut >= text.length()) {
                break;
            }
            result.add(text.substring(start, cut));
            start = cut;
        }
        result.add(text.substring(start));
        return result;
    }
}
