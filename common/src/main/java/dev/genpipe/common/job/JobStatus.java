package dev.genpipe.common.job;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The job lifecycle: one enum, one transition table, one guard.
 *
 * <pre>
 * QUEUED ──▶ RUNNING ──▶ SUCCEEDED | FAILED
 *   ▲  │        │
 *   │  │        └──▶ QUEUED (retry, or its worker died)
 *   │  └──▶ CANCELLED | FAILED (expired) | SUCCEEDED (a cached answer: no call, so never RUNNING)
 * </pre>
 */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    private static final Map<JobStatus, Set<JobStatus>> ALLOWED = Map.of(
            QUEUED, EnumSet.of(RUNNING, CANCELLED, FAILED, SUCCEEDED),
            RUNNING, EnumSet.of(QUEUED, SUCCEEDED, FAILED, CANCELLED),
            SUCCEEDED, EnumSet.noneOf(JobStatus.class),
            FAILED, EnumSet.noneOf(JobStatus.class),
            CANCELLED, EnumSet.noneOf(JobStatus.class));

    public boolean isTerminal() {
        return ALLOWED.get(this).isEmpty();
    }

    public boolean canMoveTo(JobStatus next) {
        return ALLOWED.get(this).contains(next);
    }

    /** The guard: every state change goes through here. */
    public JobStatus moveTo(JobStatus next) {
        if (!canMoveTo(next)) {
            throw new IllegalTransitionException(this, next);
        }
        return next;
    }
}
