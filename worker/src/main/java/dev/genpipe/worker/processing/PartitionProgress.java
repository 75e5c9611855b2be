package dev.genpipe.worker.processing;

import java.util.HashSet;
import java.util.NavigableSet;
import java.util.Set;
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
    /** Offsets being processed now (also those of an earlier ownership of this partition, still running). */
    private final Set<Long> running = new HashSet<>();
    /** Running offsets that were fetched again meanwhile and not started a second time. */
    private final Set<Long> fetchedWhileRunning = new HashSet<>();
    private long next = -1;
    private long committed = -1;
    private boolean changed;

    /** Taken over at {@code position}, where the previous owner had also finished {@code finishedAbove}. */
    void assigned(long position, NavigableSet<Long> finishedAbove) {
        committed = position;
        finished.addAll(finishedAbove);
    }

    /**
     * Taken back after it was revoked or lost while some of its jobs still ran here: they are not started again when
     * their records are fetched again, and what they and the others finished counts.
     */
    void adopt(PartitionProgress earlier) {
        running.addAll(earlier.running);
        finished.addAll(earlier.finished.tailSet(committed, true));
    }

    /**
     * @return false when the record must not be started: finished already (by a previous owner, or here before a
     *         rebalance), or still running here from an earlier ownership
     */
    boolean received(long offset) {
        next = Math.max(next, offset + 1);
        if (finished.contains(offset)) {
            return false;
        }
        unfinished.add(offset);
        if (running.contains(offset)) {
            fetchedWhileRunning.add(offset);
            return false;
        }
        return true;
    }

    void started(long offset) {
        running.add(offset);
    }

    /**
     * A job ended, finished for good or not (then it must run again).
     *
     * @return true when it did not finish and its record was fetched again while it ran: the caller starts it again
     */
    boolean ended(long offset, boolean done) {
        running.remove(offset);
        boolean again = fetchedWhileRunning.remove(offset) && !done;
        if (done) {
            unfinished.remove(offset);
            finished.add(offset);
            changed = true;
        }
        return again;
    }

    /** Whether a job of this partition is being processed right now (not merely waiting in the backlog). */
    boolean hasRunning() {
        return !running.isEmpty();
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
