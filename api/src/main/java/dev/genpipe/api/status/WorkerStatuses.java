package dev.genpipe.api.status;

import dev.genpipe.common.pool.WorkerStatus;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.springframework.stereotype.Component;

/** Reads the latest heartbeat of every worker ever seen (alive or not) from this instance's global store. */
@Component
public class WorkerStatuses {

    private final JobStateStreams streams;

    WorkerStatuses(JobStateStreams streams) {
        this.streams = streams;
    }

    /**
     * Every worker's latest status, in no particular order.
     *
     * @throws JobStateLoading when the store is still loading
     */
    public List<WorkerStatus> all() {
        List<WorkerStatus> all = new ArrayList<>();
        try (KeyValueIterator<String, WorkerStatus> entries = streams.workerStatuses().all()) {
            entries.forEachRemaining(entry -> all.add(entry.value));
        }
        return all;
    }
}
