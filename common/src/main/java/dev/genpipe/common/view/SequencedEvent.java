package dev.genpipe.common.view;

import dev.genpipe.common.event.JobEvent;
import java.util.function.Function;

/**
 * An event with its position in the job's history (1, 2, ...): the SSE event id, used for resumption. It also keeps
 * what it renders to (an SSE frame's data) once it was asked for, so every listener sends the same text without
 * encoding the event again.
 */
public final class SequencedEvent {

    private final long seq;
    private final JobEvent event;
    private volatile String rendered;

    public SequencedEvent(long seq, JobEvent event) {
        this.seq = seq;
        this.event = event;
    }

    public long seq() {
        return seq;
    }

    public JobEvent event() {
        return event;
    }

    /** {@code render} of this event, computed the first time only. */
    public String rendered(Function<SequencedEvent, String> render) {
        String text = rendered;
        if (text == null) {
            text = render.apply(this);
            rendered = text;
        }
        return text;
    }

    @Override
    public String toString() {
        return seq + ":" + event.getClass().getSimpleName();
    }
}
