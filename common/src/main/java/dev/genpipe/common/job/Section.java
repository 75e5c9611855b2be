package dev.genpipe.common.job;

/**
 * One section of a presentation: its subtopic, and how its EXPLANATION child job ended.
 *
 * @param index    0-based position (subtopic order)
 * @param status   SUCCEEDED, FAILED or CANCELLED
 * @param markdown the explanation when SUCCEEDED
 * @param error    why not, otherwise
 */
public record Section(int index, String subtopic, JobId jobId, JobStatus status, String markdown, String error) {
}
