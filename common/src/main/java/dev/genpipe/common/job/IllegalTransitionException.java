package dev.genpipe.common.job;

/** A state change the lifecycle does not allow (for example SUCCEEDED → RUNNING from a duplicate delivery). */
public class IllegalTransitionException extends RuntimeException {

    private final JobStatus from;
    private final JobStatus to;

    public IllegalTransitionException(JobStatus from, JobStatus to) {
        super("illegal job state change " + from + " → " + to);
        this.from = from;
        this.to = to;
    }

    public JobStatus from() {
        return from;
    }

    public JobStatus to() {
        return to;
    }
}
