package dev.genpipe.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;
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
            tracker.started(p0, offset);
        }
        tracker.ended(p0, 12, true);
        tracker.ended(p0, 14, true);
        assertThat(tracker.toCommit(null).get(p0).offset()).isEqualTo(10);

        tracker.ended(p0, 10, true);
        tracker.ended(p0, 11, true);
        assertThat(tracker.toCommit(null).get(p0).offset()).isEqualTo(13);

        tracker.ended(p0, 13, true);
        assertThat(tracker.toCommit(null)).containsEntry(p0, new OffsetAndMetadata(15));
    }

    @Test
    void theSamePartitionNumberOfBothLanesTopicsIsTrackedApart() {
        TopicPartition bulk0 = new TopicPartition("genpipe.jobs.bulk", 0);
        for (long offset = 0; offset < 3; offset++) {
            tracker.received(p0, offset);
            tracker.started(p0, offset);
            tracker.received(bulk0, offset);
            tracker.started(bulk0, offset);
        }
        tracker.ended(p0, 0, true);
        tracker.ended(bulk0, 1, true);
        tracker.ended(bulk0, 2, true);

        assertThat(tracker.toCommit(null).get(p0).offset()).isEqualTo(1);
        OffsetAndMetadata bulk = tracker.toCommit(null).get(bulk0);
        assertThat(bulk.offset()).isZero();
        assertThat(CompletedOffsets.decode(bulk.offset(), bulk.metadata())).containsExactly(1L, 2L);
        tracker.forget(List.of(p0));
        assertThat(tracker.hasRunning(List.of(bulk0))).isTrue();
        assertThat(tracker.toCommit(null)).containsOnlyKeys(bulk0);
    }

    @Test
    void anUnfinishedRecordIsNeverCommittedPast() {
        tracker.received(p0, 0);
        tracker.received(p0, 1);
        tracker.started(p0, 0);
        tracker.started(p0, 1);
        tracker.ended(p0, 0, false); // worker stopping: must be re-delivered
        tracker.ended(p0, 1, true);
        assertThat(tracker.toCommit(null).get(p0).offset()).isEqualTo(0);
        assertThat(tracker.hasRunning(List.of(p0))).isFalse();
    }

    @Test
    void offersEachPositionOnceUntilACommitFails() {
        tracker.received(p0, 0);
        tracker.started(p0, 0);
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
        tracker.started(p1, 7);
        tracker.ended(p1, 7, true);
        assertThat(tracker.toCommit(List.of(p1))).containsOnlyKeys(p1).containsEntry(p1, new OffsetAndMetadata(8));
        assertThat(tracker.toCommit(null)).containsEntry(p0, new OffsetAndMetadata(5));

        tracker.forget(List.of(p0));
        tracker.ended(p0, 5, true); // completion of a revoked partition is ignored
        assertThat(tracker.toCommit(null)).containsOnlyKeys(p1);
    }

    @Test
    void theCommitCarriesTheFinishedOffsetsAboveItsPosition() {
        for (long offset = 10; offset < 15; offset++) {
            tracker.received(p0, offset);
            tracker.started(p0, offset);
        }
        tracker.ended(p0, 12, true);
        tracker.ended(p0, 14, true);
        OffsetAndMetadata commit = tracker.toCommit(null).get(p0);
        assertThat(CompletedOffsets.decode(commit.offset(), commit.metadata())).containsExactly(12L, 14L);
        tracker.committed(tracker.toCommit(null));

        tracker.ended(p0, 13, true); // a finish above the position is news: committed again, same position
        commit = tracker.toCommit(null).get(p0);
        assertThat(commit.offset()).isEqualTo(10);
        assertThat(CompletedOffsets.decode(commit.offset(), commit.metadata())).containsExactly(12L, 13L, 14L);
    }

    @Test
    void aNewOwnerSkipsWhatThePreviousOneFinishedAndKeepsCarryingIt() {
        TreeSet<Long> finishedBefore = new TreeSet<>(List.of(11L, 12L));
        OffsetTracker next = new OffsetTracker();
        assertThat(next.assigned(p0, new OffsetAndMetadata(10, CompletedOffsets.encode(10, finishedBefore))))
                .isEqualTo(2);
        assertThat(next.toCommit(null)).as("nothing new to say yet").isEmpty();
        assertThat(next.received(p0, 10)).isTrue();
        assertThat(next.received(p0, 11)).isFalse();
        assertThat(next.received(p0, 12)).isFalse();
        assertThat(next.received(p0, 13)).isTrue();
        next.started(p0, 10);
        next.started(p0, 13);
        next.ended(p0, 13, true);
        OffsetAndMetadata commit = next.toCommit(null).get(p0);
        assertThat(commit.offset()).isEqualTo(10);
        assertThat(CompletedOffsets.decode(10, commit.metadata())).containsExactly(11L, 12L, 13L);
        next.ended(p0, 10, true);
        assertThat(next.toCommit(null).get(p0)).isEqualTo(new OffsetAndMetadata(14, ""));
    }

    @Test
    void jobsStillRunningWhenAPartitionWasLostAreNotStartedAgainWhenItComesBack() {
        tracker.received(p0, 0);
        tracker.received(p0, 1);
        tracker.started(p0, 0);
        tracker.started(p0, 1);
        tracker.forget(List.of(p0)); // lost: both still run here
        tracker.assigned(p0, new OffsetAndMetadata(0));
        assertThat(tracker.received(p0, 0)).isFalse();
        assertThat(tracker.received(p0, 1)).isFalse();
        assertThat(tracker.received(p0, 2)).isTrue();
        assertThat(tracker.ended(p0, 0, true)).isFalse();
        assertThat(tracker.ended(p0, 1, false)).as("unfinished and fetched again: start it again").isTrue();
        assertThat(tracker.toCommit(null).get(p0).offset()).isEqualTo(1);
    }

    @Test
    void aPartitionWithoutACommitStartsEmpty() {
        assertThat(tracker.assigned(p1, null)).isZero();
        assertThat(tracker.received(p1, 0)).isTrue();
    }
}
