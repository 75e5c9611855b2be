package dev.genpipe.common.event;

import dev.genpipe.common.job.JobId;
import java.time.Instant;
import java.util.List;

/** A presentation's subtopics are known and its section jobs are queued (one per subtopic, in order). */
public record JobPlanned(JobId jobId, Instant at, List<String> subtopics, List<JobId> sections) implements JobProgress {

    public JobPlanned {
        subtopics = List.copyOf(subtopics);
        sections = List.copyOf(sections);
    }
}
