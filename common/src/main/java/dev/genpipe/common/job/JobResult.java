package dev.genpipe.common.job;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** What a succeeded job produced; one record per {@link JobType}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobResult.Subtopics.class, name = "subtopics"),
        @JsonSubTypes.Type(value = JobResult.Explanation.class, name = "explanation")})
public sealed interface JobResult {

    record Subtopics(List<String> subtopics) implements JobResult {
        public Subtopics {
            subtopics = List.copyOf(subtopics);
        }
    }

    record Explanation(String markdown) implements JobResult {
    }
}
