package dev.genpipe.common.kafka;

/** Kafka topic names. Partition counts and retention are configuration (see docs/configuration.md). */
public final class Topics {

    /** {@link dev.genpipe.common.job.JobRequested}, key: request fingerprint. Delete policy, days. */
    public static final String JOBS = "genpipe.jobs";
    /**
     * The bulk lane's {@link dev.genpipe.common.job.JobRequested}s ({@code priority: "bulk"}): the same records, key
     * and retention as {@link #JOBS}; workers read both with one consumer and prefer {@link #JOBS}.
     */
    public static final String JOBS_BULK = "genpipe.jobs.bulk";
    /**
     * {@link dev.genpipe.common.event.JobEvent}, key: the job's event key (its id; a presentation's section: its
     * presentation's id). Every API instance reads it all.
     */
    public static final String JOB_EVENTS = "genpipe.job-events";
    /** Poison records and jobs that exhausted their attempts, key: job id (when known), with the reason in headers. */
    public static final String JOBS_DLT = "genpipe.jobs.dlt";

    /** {@link dev.genpipe.common.pool.WorkerStatus} heartbeats, key: worker id. Compacted. */
    public static final String WORKER_STATUS = "genpipe.worker-status";
    /** {@link dev.genpipe.common.pool.WorkerCommand}s from the API to every worker. One partition, short retention. */
    public static final String WORKER_COMMANDS = "genpipe.worker-commands";

    /** Cancelled job ids (key: job id), written by the API with the {@code cancelled} event; every worker reads it all. */
    public static final String JOB_CANCELLATIONS = "genpipe.job-cancellations";

    private Topics() {
    }
}
