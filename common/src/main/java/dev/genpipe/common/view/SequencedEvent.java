package dev.genpipe.common.view;

import dev.genpipe.common.event.JobEvent;

/** An event with its position in the job's history (1, 2, ...): the SSE event id, used for resumption. */
public record SequencedEvent(long seq, JobEvent event) {
}
