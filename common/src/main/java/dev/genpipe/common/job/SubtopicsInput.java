package dev.genpipe.common.job;

import java.util.List;

/** topic → a list of {@code count} subtopics. */
public record SubtopicsInput(String topic, Integer count) implements JobInput {

    public static final int DEFAULT_COUNT = 5;
    public static final int MAX_COUNT = 12;

    public SubtopicsInput {
        count = count == null ? DEFAULT_COUNT : count;
    }

    public SubtopicsInput(String topic) {
        this(topic, null);
    }

    @Override
    public JobType type() {
        return JobType.SUBTOPICS;
    }

    @Override
    public List<FieldViolation> violations() {
        List<FieldViolation> out = JobInput.newViolations();
        JobInput.checkText("input.topic", topic, out);
        if (count < 1 || count > MAX_COUNT) {
            out.add(new FieldViolation("input.count", "must be between 1 and " + MAX_COUNT));
        }
        return out;
    }

    @Override
    public String normalized() {
        return "topic=" + JobInput.normalize(topic) + "|count=" + count;
    }
}
