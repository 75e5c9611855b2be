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

    /**
     * A partition was assigned; {@code committed} is its last commit (null when there is none).
     *
     * @return how many offsets above the committed position its previous owner had finished (they will be skipped)
     */
    int assigned(TopicPartition partition, OffsetAndMetadata committed) {
        PartitionProgress progress = new PartitionProgress();
        partitions.put(partition, progress);
        if (committed == null) {
            return 0;
        }
        NavigableSet<Long> finished = CompletedOffsets.decode(committed.offset(), committed.metadata());
        progress.assigned(committed.offset(), finished);
        return finished.size();
    }

    /** @return false when the record was finished already (by a previous owner of the partition): skip it */
    boolean received(TopicPartition partition, long offset) {
        return partitions.computeIfAbsent(partition, p -> new PartitionProgress()).received(offset);
    }

    void started(TopicPartition partition) {
        PartitionProgress progress = partitions.get(partition);
        if (progress != null) {
            progress.started();
        }
    }

    /**
     * A job ended; {@code finished} false means it must be re-delivered (its offset stays uncommitted). Ignored for a
     * partition that is no longer ours (its records are re-delivered to the new owner).
     */
    void ended(TopicPartition partition, long offset, boolean finished) {
        PartitionProgress progress = partitions.get(partition);
        if (progress != null) {
            progress.ended();
            if (finished) {
                progress.finished(offset);
            }
        }
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

    void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }
}
