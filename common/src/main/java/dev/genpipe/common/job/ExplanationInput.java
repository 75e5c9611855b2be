package dev.genpipe.common.job;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/** topic + subtopic (+ level) → an explanation in Markdown. */
public record ExplanationInput(String topic, String subtopic, String level) implements JobInput {

    public static final String DEFAULT_LEVEL = "intermediate";
    public static final Set<String> LEVELS = Set.of("beginner", "intermediate", "advanced");

    public ExplanationInput {
        level = level == null ? DEFAULT_LEVEL : level.strip().toLowerCase(Locale.ROOT);
    }

    public ExplanationInput(String topic, String subtopic) {
        this(topic, subtopic, null);
    }

    @Override
    public JobType type() {
        return JobType.EXPLANATION;
    }

    @Override
    public List<FieldViolation> violations() {
        List<FieldViolation> out = JobInput.newViolations();
        JobInput.checkText("input.topic", topic, out);
        JobInput.checkText("input.subtopic", subtopic, out);
        if (!LEVELS.contains(level)) {
            out.add(new FieldViolation("input.level", "must be one of beginner, intermediate, advanced"));
        }
        return out;
    }

    @Override
    public String normalized() {
        return "topic=" + JobInput.normalize(topic) + "|subtopic=" + JobInput.normalize(subtopic) + "|level=" + level;
    }
}
