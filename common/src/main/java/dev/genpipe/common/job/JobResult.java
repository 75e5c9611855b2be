package dev.genpipe.common.job;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;

/** What a succeeded job produced; one record per {@link JobType}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
        @JsonSubTypes.Type(value = JobResult.Subtopics.class, name = "subtopics"),
        @JsonSubTypes.Type(value = JobResult.Explanation.class, name = "explanation"),
        @JsonSubTypes.Type(value = JobResult.Presentation.class, name = "presentation")})
public sealed interface JobResult {

    record Subtopics(List<String> subtopics) implements JobResult {
        public Subtopics {
            subtopics = List.copyOf(subtopics);
        }
    }

    record Explanation(String markdown) implements JobResult {
    }

    /**
     * The assembled presentation, sections in subtopic order. A section whose job failed is kept, marked FAILED with its
     * reason ({@code failedSections} counts them); only when every section failed does the presentation fail.
     */
    record Presentation(String topic, List<Section> sections, int failedSections) implements JobResult {
        public Presentation {
            sections = List.copyOf(sections);
        }
    }
}
