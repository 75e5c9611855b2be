package dev.genpipe.api.status;

import dev.genpipe.common.pool.WorkerStatus;
import java.util.List;
import org.springframework.stereotype.Component;

/** Reads the latest heartbeat of every worker ever seen (alive or not), as this instance folded them. */
@Component
public class WorkerStatuses {

    private final JobStateReader reader;

    WorkerStatuses(JobStateReader reader) {
        this.reader = reader;
    }

    /**
     * Every worker's latest status, in no particular order.
     *
     * @throws JobStateLoading when the state is still loading
     */
    public List<WorkerStatus> all() {
        if (!reader.ready()) {
            throw new JobStateLoading("worker status is still loading");
        }
        return List.copyOf(reader.fold().workers());
    }
}
