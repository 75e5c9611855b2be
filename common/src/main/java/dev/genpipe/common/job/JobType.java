package dev.genpipe.common.job;

/** What a job generates. */
public enum JobType {
    /** topic → list of subtopics (structured JSON output). */
    SUBTOPICS,
    /** topic + subtopic (+ level) → Markdown explanation. */
    EXPLANATION,
    /** topic → subtopics → one EXPLANATION child job per subtopic, in parallel across the pool → assembled. */
    PRESENTATION
}
