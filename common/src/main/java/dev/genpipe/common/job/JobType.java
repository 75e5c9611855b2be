package dev.genpipe.common.job;

/** What a job generates. PRESENTATION (fan-out over SUBTOPICS and EXPLANATION) is planned and fits this model. */
public enum JobType {
    /** topic → list of subtopics (structured JSON output). */
    SUBTOPICS,
    /** topic + subtopic (+ level) → Markdown explanation. */
    EXPLANATION
}
