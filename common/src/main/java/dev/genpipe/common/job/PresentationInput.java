package dev.genpipe.common.job;

import java.util.List;
import java.util.Locale;

/** topic → subtopics, then one explanation per subtopic, assembled in subtopic order. */
public record PresentationInput(String topic, Integer sections, String level) implements JobInput {

    public static final int DEFAULT_SECTIONS = 5;

    public PresentationInput {
        sections = sections == null ? DEFAULT_SECTIONS : sections;
        level = level == null ? ExplanationInput.DEFAULT_LEVEL : level.strip().toLowerCase(Locale.ROOT);
    }

    public PresentationInput(String topic, Integer sections) {
        this(topic, sections, null);
    }

    @Override
    public JobType type() {
        return JobType.PRESENTATION;
    }

    @Override
    public List<FieldViolation> violations() {
        List<FieldViolation> out = JobInput.newViolations();
        JobInput.checkText("input.topic", topic, out);
        if (sections < 1 || sections > SubtopicsInput.MAX_COUNT) {
            out.add(new FieldViolation("input.sections", "must be between 1 and " + SubtopicsInput.MAX_COUNT));
        }
        if (!ExplanationInput.LEVELS.contains(level)) {
            out.add(new FieldViolation("input.level", "must be one of beginner, intermediate, advanced"));
        }
        return out;
    }

    @Override
    public String normalized() {
        return "topic=" + JobInput.normalize(topic) + "|sections=" + sections + "|level=" + level;
    }

    /** The subtopics request this presentation starts with (cached like any other). */
    public SubtopicsInput subtopics() {
        return new SubtopicsInput(topic, sections);
    }
}
