package dev.genpipe.devstack;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the stand-in needs from a {@code generateContent} request body.
 *
 * @param prompt the text of {@code contents[].parts[].text}, then {@code systemInstruction}'s text
 * @param jsonMode whether {@code generationConfig.responseMimeType} is {@code application/json}
 */
record StandInRequest(String prompt, boolean jsonMode) {

    /** Parses a request body; throws {@link JacksonException} if it is not JSON. */
    static StandInRequest parse(JsonMapper mapper, String body) {
        JsonNode root = mapper.readTree(body);
        StringBuilder prompt = new StringBuilder();
        for (JsonNode content : root.path("contents")) {
            appendParts(prompt, content);
        }
        JsonNode system = root.has("systemInstruction") ? root.path("systemInstruction") : root.path("system_instruction");
        appendParts(prompt, system);
        JsonNode config = root.has("generationConfig") ? root.path("generationConfig") : root.path("generation_config");
        String mimeType = config.has("responseMimeType")
                ? config.path("responseMimeType").asString("")
                : config.path("response_mime_type").asString("");
        return new StandInRequest(prompt.toString(), mimeType.trim().equalsIgnoreCase("application/json"));
    }

    private static void appendParts(StringBuilder prompt, JsonNode content) {
        for (JsonNode part : content.path("parts")) {
            JsonNode text = part.path("text");
            if (text.isString()) {
                if (!prompt.isEmpty()) {
                    prompt.append('\n');
                }
                prompt.append(text.stringValue());
            }
        }
    }
}
