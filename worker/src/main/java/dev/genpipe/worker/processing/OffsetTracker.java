package dev.genpipe.worker.processing;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Out-of-order completion, in-order commits: per partition, commit only below the lowest unfinished offset, with the
 * finished offsets above it in the commit's metadata ({@link CompletedOffsets}) so that no new owner runs them again.
 */
final class OffsetTracker {

    private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();
    /** Partitions revoked or lost while jobs of theirs still ran here: taken over again if they come back. */
    private final Map<TopicPartition, PartitionProgress> released = new HashMap<>();

    /**
     * A partition was assigned; {@code committed} is its last commit (null when there is none).
     *
     * @return how many offsets above the committed position its previous owner had finished (they will be skipped)
     */
    int assigned(TopicPartition partition, OffsetAndMetadata committed) {
        PartitionProgress progress = new PartitionProgress();
        partitions.put(partition, progress);
        NavigableSet<Long> finished = committed == null ? new java.util.TreeSet<>()
                : CompletedOffsets.decode(committed.offset(), committed.metadata());
        if (committed != null) {
            progress.assigned(committed.offset(), finished);
        }
        PartitionProgress earlier = released.remove(partition);
        if (earlier != null) {
            progress.adopt(earlier);
        }
        return finished.size();
    }

    /** @return false when the record was finished already (by a previous owner of the partition): skip it */
    boolean received(TopicPartition partition, long offset) {
        return partitions.computeIfAbsent(partition, p -> new PartitionProgress()).received(offset);
    }

    void started(TopicPartition partition, long offset) {
        PartitionProgress progress = partitions.get(partition);
        if (progress != null) {
            progress.started(offset);
        }
    }

    /**
     * A job ended; {@code finished} false means it must be re-delivered (its offset stays uncommitted). A job of a
     * partition released meanwhile counts for it if it comes back.
     *
     * @return true when the job must be started again here: it did not finish, and its record was fetched again (and
     *         not started) while it ran
     */
    boolean ended(TopicPartition partition, long offset, boolean finished) {
        PartitionProgress progress = partitions.get(partition);
        if (progress != null) {
            return progress.ended(offset, finished);
        }
        PartitionProgress earlier = released.get(partition);
        if (earlier != null) {
            earlier.ended(offset, finished);
            if (!earlier.hasRunning()) {
                released.remove(partition);
            }
        }
        return false;
    }

    boolean hasRunning(Collection<TopicPartition> of) {
        return partitions.entrySet().stream()
                .anyMatch(e -> (of == null || of.contains(e.getKey())) && e.getValue().hasRunning());
    }

    /** What can be committed now, for the given partitions (all when {@code of} is null). */
    Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> of) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((partition, progress) -> {
            if (of == null || of.contains(partition)) {
                OffsetAndMetadata commit = progress.toCommit();
                if (commit != null) {
                    out.put(partition, commit);
                }
            }
        });
        return out;
    }

    void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> {
            PartitionProgress progress = partitions.get(partition);
            if (progress != null) {
                progress.committed(offset.offset());
            }
        });
    }

    void commitFailed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.keySet().forEach(partition -> {
            PartitionProgress progress = partitions.get(partition);
            if (progress != null) {
                progress.commitFailed();
            }
        });
    }

    /** The partitions are no longer ours (revoked or lost); their jobs still running are remembered. */
    void forget(Collection<TopicPartition> revoked) {
        for (TopicPartition partition : revoked) {
            PartitionProgress progress = partitions.remove(partition);
            if (progress != null && progress.hasRunning()) {
                released.put(partition, progress);
            }
        }
    }
}
