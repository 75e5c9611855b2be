package dev.genpipe.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {

    private final TopicPartition p0 = new TopicPartition("genpipe.jobs", 0);
    private final TopicPartition p1 = new TopicPartition("genpipe.jobs", 1);
    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void commitsOnlyBelowTheLowestUnfinishedOffset() {
        for (long offset = 10; offset < 15; offset++) {
            tracker.received(p0, offset);
            tracker.started(p0);
        }
        tracker.ended(p0, 12, true);
        tracker.ended(p0, 14, true);
        assertThat(tracker.toCommit(null)).containsEntry(p0, new OffsetAndMetadata(10));

        tracker.ended(p0, 10, true);
        tracker.ended(p0, 11, true);
        assertThat(tracker.toCommit(null)).containsEntry(p0, new OffsetAndMetadata(13));

        tracker.ended(p0, 13, true);
        assertThat(tracker.toCommit(null)).containsEntry(p0, new OffsetAndMetadata(15));
    }

    @Test
    void anUnfinishedRecordIsNeverCommittedPast() {
        tracker.received(p0, 0);
        tracker.received(p0, 1);
        tracker.started(p0);
        tracker.started(p0);
        tracker.ended(p0, 0, false); // worker stopping: must be re-delivered
        tracker.ended(p0, 1, true);
        assertThat(tracker.toCommit(null)).containsEntry(p0, new OffsetAndMetadata(0));
        assertThat(tracker.hasRunning(List.of(p0))).isFalse();
    }

    @Test
    void offersEachPositionOnceUntilACommitFails() {
        tracker.received(p0, 0);
        tracker.started(p0);
        tracker.ended(p0, 0, true);
        var ready = tracker.toCommit(null);
        tracker.committed(ready);
        assertThat(tracker.toCommit(null)).isEmpty();

        tracker.commitFailed(ready);
        assertThat(tracker.toCommit(null)).containsEntry(p0, new OffsetAndMetadata(1));
    }

    @Test
    void tracksPartitionsIndependentlyAndForgetsRevokedOnes() {
        tracker.received(p0, 5);
        tracker.received(p1, 7);
        tracker.started(p1);
        tracker.ended(p1, 7, true);
        assertThat(tracker.toCommit(List.of(p1))).containsOnlyKeys(p1).containsEntry(p1, new OffsetAndMetadata(8));
        assertThat(tracker.toCommit(null)).containsEntry(p0, new OffsetAndMetadata(5));

        tracker.forget(List.of(p0));
        tracker.ended(p0, 5, true); // completion of a revoked partition is ignored
        assertThat(tracker.toCommit(null)).containsOnlyKeys(p1);
    }
}
