package dev.genpipe.worker.processing;

import java.util.TreeSet;

/**
 * The offsets of one partition that were received but are not finished yet. The committable position is the lowest
 * unfinished offset: a crash re-delivers every unfinished record and skips none.
 */
final class PartitionProgress {

    private final TreeSet<Long> unfinished = new TreeSet<>();
    private long next = -1;
    private long committed = -1;
    private int running;

    void received(long offset) {
        unfinished.add(offset);
        next = Math.max(next, offset + 1);
    }

    void finished(long offset) {
        unfinished.remove(offset);
    }

    void started() {
        running++;
    }

    void ended() {
        running--;
    }

    /** Whether a job of this partition is being processed right now (not merely waiting in the backlog). */
    boolean hasRunning() {
        return running > 0;
    }

    /** The offset to commit (the next record to read after a restart), or -1 when it has not moved since the last commit. */
    long toCommit() {
        long position = unfinished.isEmpty() ? next : unfinished.first();
        return position > committed ? position : -1;
    }

    void committed(long position) {
        committed = Math.max(committed, position);
    }

    /** A commit did not go through: the next {@link #toCommit()} offers the position again. */
    void commitFailed() {
        committed = -1;
    }
}
