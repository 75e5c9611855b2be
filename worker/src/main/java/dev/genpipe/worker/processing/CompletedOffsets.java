package dev.genpipe.worker.processing;

import java.util.Base64;
import java.util.BitSet;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The offsets finished above a partition's committed position, carried in the offset commit's metadata (as the
 * Confluent Parallel Consumer does), so that a new owner of the partition — after a crash, a rebalance or a broker
 * restart — skips what was already done instead of running it again.
 *
 * <p>Encoding: {@code "c1:"} and the base64 of a bitset whose bit {@code i} says that offset {@code position + i} is
 * finished. Bounded: at most {@link #MAX_BITSET_BYTES} bytes of bitset (4,000 characters of metadata, under the
 * broker's default {@code offset.metadata.max.bytes} of 4,096), i.e. the first 24,000 offsets above the position;
 * finished offsets beyond that are left out and would be run again. Anything that does not decode is an empty set.
 */
final class CompletedOffsets {

    static final int MAX_BITSET_BYTES = 3_000;
    private static final long MAX_SPAN = MAX_BITSET_BYTES * 8L;
    private static final String PREFIX = "c1:";

    private CompletedOffsets() {
    }

    /** The metadata for a commit at {@code position}; offsets below it, and beyond the bound, are ignored. */
    static String encode(long position, NavigableSet<Long> finished) {
        BitSet bits = new BitSet();
        for (long offset : finished.subSet(position, true, position + MAX_SPAN, false)) {
            bits.set((int) (offset - position));
        }
        return bits.isEmpty() ? "" : PREFIX + Base64.getEncoder().encodeToString(bits.toByteArray());
    }

    /** The finished offsets that a commit at {@code position} with {@code metadata} carries. */
    static NavigableSet<Long> decode(long position, String metadata) {
        NavigableSet<Long> finished = new TreeSet<>();
        if (metadata == null || !metadata.startsWith(PREFIX)) {
            return finished;
        }
        BitSet bits;
        try {
            bits = BitSet.valueOf(Base64.getDecoder().decode(metadata.substring(PREFIX.length())));
        } catch (IllegalArgumentException notOurs) {
            return finished;
        }
        for (int i = bits.nextSetBit(0); i >= 0 && i < MAX_SPAN; i = bits.nextSetBit(i + 1)) {
            finished.add(position + i);
        }
        return finished;
    }
}
