package dev.genpipe.worker.processing;

import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * The offsets of one partition that were received but are not finished yet, and those finished above the lowest
 * unfinished one. The committable position is the lowest unfinished offset: a crash re-delivers every unfinished
 * record and skips none; the finished ones above it travel in the commit's metadata ({@link CompletedOffsets}), so the
 * next owner skips them. A partition taken over starts with the finished offsets its previous owner committed.
 */
final class PartitionProgress {

    private final TreeSet<Long> unfinished = new TreeSet<>();
    /** Finished offsets at or above the last committed position (ours, and those a previous owner committed). */
    private final TreeSet<Long> finished = new TreeSet<>();
    private long next = -1;
    private long committed = -1;
    private boolean changed;
    private int running;

    /** Taken over at {@code position}, where the previous owner had also finished {@code finishedAbove}. */
    void assigned(long position, NavigableSet<Long> finishedAbove) {
        committed = position;
        finished.addAll(finishedAbove);
    }

    /** @return false when the record was finished already (by a previous owner): it must not run again */
    boolean received(long offset) {
        next = Math.max(next, offset + 1);
        if (finished.contains(offset)) {
            return false;
        }
        unfinished.add(offset);
        return true;
    }

    void finished(long offset) {
        if (unfinished.remove(offset)) {
            finished.add(offset);
            changed = true;
        }
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

    /**
     * The commit to make (the next record to read after a restart, and the finished records above it), or null when
     * it would say nothing that the last commit did not.
     */
    OffsetAndMetadata toCommit() {
        if (next < 0) {
            return null;
        }
        long position = unfinished.isEmpty() ? next : unfinished.first();
        while (unfinished.isEmpty() && finished.contains(position)) {
            position++; // finished by a previous owner, just ahead of what we received
        }
        finished.headSet(position).clear();
        if (position <= committed && !changed) {
            return null;
        }
        return new OffsetAndMetadata(position, CompletedOffsets.encode(position, finished));
    }

    void committed(long position) {
        committed = Math.max(committed, position);
        changed = false;
    }

    /** A commit did not go through: the next {@link #toCommit()} offers the position again. */
    void commitFailed() {
        committed = -1;
        changed = true;
    }
}
