package dev.genpipe.common.event;

import dev.genpipe.common.job.Section;
import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.TokenUsage;
import java.time.Instant;

/**
 * A section job of presentation {@code jobId} ended (any way). Written by the API's fan-in (Kafka Streams) from the
 * child's terminal event; the presentation completes when every section has completed. {@code completed} of
 * {@code total} are filled in by the presentation's view when it takes the event (k of N).
 */
public record SectionCompleted(JobId jobId, Instant at, Section section, TokenUsage usage, int completed, int total)
        implements JobProgress {

    public static SectionCompleted of(JobId presentation, Instant at, Section section, TokenUsage usage) {
        return new SectionCompleted(presentation, at, section, usage, 0, 0);
    }
}
