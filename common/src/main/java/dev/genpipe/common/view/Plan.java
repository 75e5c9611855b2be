package dev.genpipe.common.view;

import dev.genpipe.common.job.JobId;
import dev.genpipe.common.job.Section;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A presentation's progress: its subtopics, the section jobs working on them, and the sections completed so far
 * (in subtopic order).
 */
public record Plan(List<String> subtopics, List<JobId> sectionJobs, List<Section> completed) {

    public Plan {
        subtopics = List.copyOf(subtopics);
        sectionJobs = List.copyOf(sectionJobs);
        completed = List.copyOf(completed);
    }

    Plan with(Section section) {
        if (completed.stream().anyMatch(s -> s.index() == section.index())) {
            return this;
        }
        List<Section> next = new ArrayList<>(completed);
        next.add(section);
        next.sort(Comparator.comparingInt(Section::index));
        return new Plan(subtopics, sectionJobs, next);
    }

    public boolean complete() {
        return !sectionJobs.isEmpty() && completed.size() >= sectionJobs.size();
    }
}
