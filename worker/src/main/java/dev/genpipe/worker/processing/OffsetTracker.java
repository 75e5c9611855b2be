package dev.genpipe.worker.processing;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Out-of-order completion, in-order commits: per partition, commit only below the lowest unfinished offset. */
final class OffsetTracker {

    private final Map<TopicPartition, PartitionProgress> partitions = new HashMap<>();

    void received(TopicPartition partition, long offset) {
        partitions.computeIfAbsent(partition, p -> new PartitionProgress()).received(offset);
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
                long position = progress.toCommit();
                if (position >= 0) {
                    out.put(partition, new OffsetAndMetadata(position));
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
