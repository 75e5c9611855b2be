package dev.genpipe.api.webhooks;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The dispatcher's commits: per partition, only below the lowest record whose delivery has not ended, so a record
 * whose webhook is still under way is read again after a crash (at least once). Records without a delivery count as
 * done when read. Thread-safe: the poll thread reads and commits, deliveries end on their own threads.
 */
final class PendingOffsets {

    private static final class Partition {
        final TreeSet<Long> pending = new TreeSet<>();
        long next = -1;
        long committed = -1;

        long position() {
            return pending.isEmpty() ? next : pending.first();
        }
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    /** The record at {@code offset} was read; {@code pending}: its delivery has begun and will {@link #ended}. */
    synchronized void read(TopicPartition partition, long offset, boolean pending) {
        Partition p = partitions.computeIfAbsent(partition, x -> new Partition());
        p.next = Math.max(p.next, offset + 1);
        if (pending) {
            p.pending.add(offset);
        }
    }

    /** The delivery of the record at {@code offset} ended (ignored for a partition no longer ours). */
    synchronized void ended(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null) {
            p.pending.remove(offset);
        }
    }

    /** The positions to commit now that have not been committed yet, of {@code of} (all when null). */
    synchronized Map<TopicPartition, OffsetAndMetadata> toCommit(Collection<TopicPartition> of) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((partition, p) -> {
            long position = p.position();
            if ((of == null || of.contains(partition)) && position > p.committed) {
                out.put(partition, new OffsetAndMetadata(position));
                p.committed = position;
            }
        });
        return out;
    }

    /** A commit failed: commit these positions again next time. */
    synchronized void commitFailed(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.keySet().forEach(partition -> {
            Partition p = partitions.get(partition);
            if (p != null) {
                p.committed = -1;
            }
        });
    }

    synchronized void forget(Collection<TopicPartition> revoked) {
        revoked.forEach(partitions::remove);
    }
}
