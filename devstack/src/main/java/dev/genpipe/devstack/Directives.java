package dev.genpipe.devstack;

import dev.genpipe.devstack.GeminiStandIn.Failure;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-request behaviour written into a prompt: {@code [[standin:fail=503]]}, {@code [[standin:latency=1500]]},
 * {@code [[standin:reply=BASE64URL]]} (answer exactly this text, e.g. broken JSON or SSE-breaking characters),
 * {@code [[standin:failsub=History]]} (answer 400 to calls whose {@code <subtopic>} contains the word: one failing
 * section of a presentation).
 *
 * @param failure the failure to inject, or null
 * @param latency the latency for this call, or null for the stand-in's setting
 * @param reply   the exact answer text, or null
 */
record Directives(Failure failure, Duration latency, String reply) {

    private static final Pattern DIRECTIVE = Pattern.compile("\\[\\[standin:(fail|latency|reply|failsub)=([A-Za-z0-9_-]+)]]");

    static Directives parse(String prompt) {
        Failure failure = null;
        Duration latency = null;
        String reply = null;
        Matcher matcher = DIRECTIVE.matcher(prompt);
        while (matcher.find()) {
            String value = matcher.group(2);
            try {
                switch (matcher.group(1)) {
                    case "fail" -> failure = Failure.parse(value);
                    case "reply" -> reply = new String(java.util.Base64.getUrlDecoder().decode(value),
                            java.nio.charset.StandardCharsets.UTF_8);
                    case "failsub" -> {
                        String subtopic = PromptTags.parse(prompt).subtopic();
                        String topic = PromptTags.parse(prompt).topic();
                        if (subtopic != null && !subtopic.equals(topic) && subtopic.contains(value)) {
                            failure = Failure.BAD_REQUEST;
                        }
                    }
                    default -> latency = Duration.ofMillis(Long.parseLong(value));
                }
            } catch (IllegalArgumentException unknownValue) {
                // a directive the stand-in does not understand is ignored, like any other prompt text
            }
        }
        return new Directives(failure, latency, reply);
    }

    /** Returns the prompt without its directives, so they do not leak into generated text. */
    static String strip(String prompt) {
        return DIRECTIVE.matcher(prompt).replaceAll("");
    }
}
