package dev.genpipe.devstack;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The data a worker prompt marks with tags: {@code <topic>}, {@code <subtopic>}, {@code <count>}, {@code <level>}.
 * Missing tags fall back to: topic = the first 60 characters of the prompt, subtopic = topic, count = 5,
 * level = "general".
 */
record PromptTags(String topic, String subtopic, int count, String level) {

    static final int DEFAULT_COUNT = 5;
    static final int MAX_COUNT = 500;
    private static final int FALLBACK_TOPIC_LENGTH = 60;

    static PromptTags parse(String prompt) {
        String clean = Directives.strip(prompt);
        String topic = tag(clean, "topic");
        if (topic == null) {
            topic = fallbackTopic(clean);
        }
        String subtopic = tag(clean, "subtopic");
        String count = tag(clean, "count");
        String level = tag(clean, "level");
        return new PromptTags(topic, subtopic == null ? topic : subtopic, parseCount(count),
                level == null ? "general" : level);
    }

    private static String tag(String text, String name) {
        Matcher matcher = Pattern.compile("<" + name + ">(.*?)</" + name + ">", Pattern.DOTALL).matcher(text);
        if (!matcher.find()) {
            return null;
        }
        String value = collapse(matcher.group(1));
        return value.isEmpty() ? null : value;
    }

    private static String fallbackTopic(String prompt) {
        String collapsed = collapse(prompt);
        String topic = collapsed.length() > FALLBACK_TOPIC_LENGTH
                ? collapsed.substring(0, FALLBACK_TOPIC_LENGTH).trim()
                : collapsed;
        return topic.isEmpty() ? "the topic" : topic;
    }

    private static int parseCount(String count) {
        if (count == null) {
            return DEFAULT_COUNT;
        }
        try {
            return Math.clamp(Integer.parseInt(count), 1, MAX_COUNT);
        } catch (NumberFormatException e) {
            return DEFAULT_COUNT;
        }
    }

    private static String collapse(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }
}
