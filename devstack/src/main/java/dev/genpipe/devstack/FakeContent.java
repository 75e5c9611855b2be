package dev.genpipe.devstack;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** Deterministic, plausible generated text: the same prompt always gives the same text. */
final class FakeContent {

    private static final List<String> SUBTOPIC_PATTERNS = List.of(
            "Foundations of %s",
            "History of %s",
            "Core concepts of %s",
            "Key terminology in %s",
            "How %s works in practice",
            "Common misconceptions about %s",
            "Real-world applications of %s",
            "Tools and methods for studying %s",
            "Current research on %s",
            "Ethical and social aspects of %s",
            "Comparing approaches to %s",
            "Future directions of %s");

    private static final List<String> OPENERS = List.of(
            "It is one of the ideas that make the rest of %s easier to follow.",
            "Many questions about %s come back to it sooner or later.",
            "Once it is clear, the other parts of %s fall into place quickly.");

    private static final List<String> CLOSERS = List.of(
            "In short, a good grasp of %s gives a solid base for everything else in %s.",
            "Taken together, these points show why %s deserves a place in any study of %s.",
            "With these ideas in hand, %s becomes a useful lens for looking at the whole of %s.");

    private final JsonMapper mapper;

    FakeContent(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Like a naive model, the stand-in gives in to the most common prompt injections: asked to ignore its
     * instructions or to reveal them, it repeats everything it was told (system instruction included). Tests use
     * this to show that GenPipe never returns such a leak.
     */
    private static final java.util.regex.Pattern INJECTION = java.util.regex.Pattern.compile(
            "ignore (all |any )?(the )?(previous|prior|above) instructions|reveal (your|the) (system )?(prompt|instructions)"
                    + "|print (your|the) (system )?(prompt|instructions)|repeat (everything|the text) above",
            java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * The text for a prompt: the exact reply of a {@code [[standin:reply=…]]} directive; a leak of the whole prompt
     * for an injection attempt; a JSON array of subtopics in JSON mode; otherwise a Markdown explanation.
     */
    String generate(String prompt, boolean jsonMode) {
        Directives directives = Directives.parse(prompt);
        if (directives.reply() != null) {
            return directives.reply();
        }
        if (INJECTION.matcher(prompt).find()) {
            return "Sure! Here is everything I was told:\n" + Directives.strip(prompt);
        }
        PromptTags tags = PromptTags.parse(prompt);
        return jsonMode ? subtopics(tags) : explanation(tags, Math.floorMod(Directives.strip(prompt).hashCode(), 9));
    }

    private String subtopics(PromptTags tags) {
        List<String> titles = new ArrayList<>(tags.count());
        for (int i = 0; i < tags.count(); i++) {
            String title = SUBTOPIC_PATTERNS.get(i % SUBTOPIC_PATTERNS.size()).formatted(tags.topic());
            int round = i / SUBTOPIC_PATTERNS.size();
            titles.add(round == 0 ? title : title + " (part " + (round + 1) + ")");
        }
        return mapper.writeValueAsString(titles);
    }

    private static String explanation(PromptTags tags, int variant) {
        String topic = tags.topic();
        String subtopic = tags.subtopic();
        String level = tags.level();
        return """
                ## %1$s

                %6$s This explanation is written for a %3$s level and covers what \
                it is, why it matters and how it connects to the rest of %2$s. %4$s

                At its core, %1$s describes how the main parts of %2$s fit together. A learner at the %3$s \
                level should first be able to name the key ideas, then explain them in their own words, and \
                finally apply them to an example they have not seen before. Concrete cases make the abstract \
                ideas much easier to remember.

                Key points:

                - **Definition:** what %1$s means within %2$s.
                - **Mechanism:** the steps or causes that make it work.
                - **Example:** a familiar situation where %1$s shows up.
                - **Pitfall:** a common misunderstanding to avoid at the %3$s level.

                %5$s
                """.formatted(subtopic, topic, level,
                OPENERS.get(variant % OPENERS.size()).formatted(topic),
                CLOSERS.get(variant / OPENERS.size()).formatted(subtopic, topic),
                subtopic.equals(topic) ? topic + " is a subject worth understanding well."
                        : subtopic + " is a central part of " + topic + ".");
    }

    /** Words in a text, the stand-in's token count. */
    static int words(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
    }
}
