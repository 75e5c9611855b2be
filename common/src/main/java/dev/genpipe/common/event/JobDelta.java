package dev.genpipe.common.event;

import dev.genpipe.common.job.JobId;
import java.time.Instant;

/**
 * A piece of an explanation while Gemini writes it. The text so far is the concatenation of the deltas after the
 * job's latest {@code started} event (a retry starts over).
 */
public record JobDelta(JobId jobId, Instant at, String text) implements JobProgress {
}
