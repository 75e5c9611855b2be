package dev.genpipe.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class CompletedOffsetsTest {

    @Test
    void roundTripsTheFinishedOffsetsAboveThePosition() {
        TreeSet<Long> finished = new TreeSet<>(java.util.List.of(99L, 101L, 102L, 105L, 1_000L));
        String metadata = CompletedOffsets.encode(100, finished);
        assertThat(metadata).startsWith("c1:");
        assertThat(CompletedOffsets.decode(100, metadata)).containsExactly(101L, 102L, 105L, 1_000L);
    }

    @Test
    void staysWithinTheBrokersMetadataLimit() {
        TreeSet<Long> finished = new TreeSet<>();
        LongStream.range(1, 100_000).forEach(finished::add);
        String metadata = CompletedOffsets.encode(0, finished);
        assertThat(metadata.length()).isLessThan(4_096);
        assertThat(CompletedOffsets.decode(0, metadata)).hasSize(CompletedOffsets.MAX_BITSET_BYTES * 8 - 1)
                .allMatch(offset -> offset < CompletedOffsets.MAX_BITSET_BYTES * 8L);
    }

    @Test
    void nothingFinishedOrForeignMetadataMeansAnEmptySet() {
        assertThat(CompletedOffsets.encode(7, new TreeSet<>())).isEmpty();
        assertThat(CompletedOffsets.decode(7, "")).isEmpty();
        assertThat(CompletedOffsets.decode(7, null)).isEmpty();
        assertThat(CompletedOffsets.decode(7, "c1:not base64!")).isEmpty();
        assertThat(CompletedOffsets.decode(7, "someone else's metadata")).isEmpty();
    }
}
