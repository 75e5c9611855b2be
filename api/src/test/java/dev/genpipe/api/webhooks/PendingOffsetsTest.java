package dev.genpipe.api.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PendingOffsetsTest {

    private final TopicPartition p0 = new TopicPartition("genpipe.job-events", 0);
    private final TopicPartition p1 = new TopicPartition("genpipe.job-events", 1);
    private final PendingOffsets offsets = new PendingOffsets();

    @Test
    void commitsOnlyBelowTheLowestDeliveryUnderWay() {
        offsets.read(p0, 10, false);
        offsets.read(p0, 11, true);
        offsets.read(p0, 12, false);
        offsets.read(p0, 13, true);
        assertThat(offsets.toCommit(null)).isEqualTo(Map.of(p0, new OffsetAndMetadata(11)));
        assertThat(offsets.toCommit(null)).as("nothing new").isEmpty();

        offsets.ended(p0, 13);
        assertThat(offsets.toCommit(null)).as("11 still under way").isEmpty();
        offsets.ended(p0, 11);
        assertThat(offsets.toCommit(null)).isEqualTo(Map.of(p0, new OffsetAndMetadata(14)));
    }

    @Test
    void aFailedCommitIsRepeatedAndARevokedPartitionForgotten() {
        offsets.read(p0, 0, false);
        offsets.read(p1, 5, true);
        Map<TopicPartition, OffsetAndMetadata> first = offsets.toCommit(null);
        assertThat(first).isEqualTo(Map.of(p0, new OffsetAndMetadata(1), p1, new OffsetAndMetadata(5)));
        offsets.commitFailed(Map.of(p0, first.get(p0)));
        assertThat(offsets.toCommit(List.of(p0))).isEqualTo(Map.of(p0, new OffsetAndMetadata(1)));

        offsets.forget(List.of(p1));
        offsets.ended(p1, 5); // a delivery of a partition no longer ours ends: nothing to commit for it
        assertThat(offsets.toCommit(null)).isEmpty();
    }
}
