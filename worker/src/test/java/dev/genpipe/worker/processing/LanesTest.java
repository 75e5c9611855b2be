package dev.genpipe.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.common.kafka.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class LanesTest {

    private static final int BOUND = 8;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final Lanes lanes = new Lanes(0.1, meters);
    private final Deque<Lanes.Admitted> running = new ArrayDeque<>();
    private long bulkOffset;
    private long interactiveOffset;

    @Test
    void anInteractiveJobTakesTheFirstPlaceThatFreesUpWith2000BulkJobsWaiting() {
        for (int i = 0; i < 2000; i++) {
            lanes.add(bulk());
        }
        startAll();
        assertThat(running).hasSize(BOUND).allMatch(a -> a.record().topic().equals(Topics.JOBS_BULK));

        lanes.add(interactive());
        assertThat(lanes.next(BOUND)).as("no place is free").isNull();
        running.poll().slot().release();

        Lanes.Admitted next = lanes.next(BOUND);
        assertThat(next.record().topic()).isEqualTo(Topics.JOBS);
        assertThat(lanes.next(BOUND)).isNull();
        assertThat(meters.get("genpipe.worker.lane.jobs.in_flight").tag("lane", "interactive").gauge().value())
                .isEqualTo(1);
        assertThat(meters.get("genpipe.worker.lane.jobs.in_flight").tag("lane", "bulk").gauge().value()).isEqualTo(7);
        assertThat(backlog("bulk")).isEqualTo(1992);
    }

    @Test
    void bulkKeepsProgressingUnderASteadyInteractiveLoad() {
        for (int i = 0; i < 2000; i++) {
            lanes.add(bulk());
        }
        int bulkStarts = 0;
        int interactiveStarts = 0;
        for (int finished = 0; finished < 800; finished++) {
            while (backlog("interactive") < BOUND) {
                lanes.add(interactive()); // interactive work always waits
            }
            for (Lanes.Admitted a; (a = lanes.next(BOUND)) != null; ) {
                running.add(a);
                if (a.record().topic().equals(Topics.JOBS_BULK)) {
                    bulkStarts++;
                } else {
                    interactiveStarts++;
                }
            }
            running.poll().slot().release(); // the oldest job ends
        }
        assertThat(bulkStarts).as("bulk keeps its one place of eight (plus the %d it held at the start)", BOUND)
                .isBetween(800 / BOUND, 800 / BOUND + BOUND + 1);
        assertThat(interactiveStarts).isGreaterThan(bulkStarts * 5);
    }

    @Test
    void aLaneWithRecordsWaitingIsPausedAndEveryLaneWhileNothingIsAdmitted() {
        TopicPartition interactive0 = new TopicPartition(Topics.JOBS, 0);
        TopicPartition bulk0 = new TopicPartition(Topics.JOBS_BULK, 0);
        List<TopicPartition> assignment = List.of(interactive0, bulk0);
        assertThat(lanes.toPause(assignment, false)).isEmpty();

        lanes.add(bulk());
        assertThat(lanes.toPause(assignment, false)).containsExactly(bulk0);
        lanes.add(interactive());
        assertThat(lanes.toPause(assignment, false)).containsExactlyInAnyOrder(interactive0, bulk0);
        assertThat(lanes.next(BOUND).record().topic()).isEqualTo(Topics.JOBS);
        assertThat(lanes.toPause(assignment, false)).containsExactly(bulk0);

        lanes.drop(List.of(bulk0));
        assertThat(lanes.toPause(assignment, false)).isEmpty();
        assertThat(lanes.toPause(assignment, true)).containsExactlyInAnyOrder(interactive0, bulk0);
        assertThat(lanes.topics()).containsExactly(Topics.JOBS, Topics.JOBS_BULK);
    }

    private double backlog(String lane) {
        return meters.get("genpipe.worker.lane.backlog").tag("lane", lane).gauge().value();
    }

    private void startAll() {
        for (Lanes.Admitted a; (a = lanes.next(BOUND)) != null; ) {
            running.add(a);
        }
    }

    private ConsumerRecord<String, byte[]> bulk() {
        return new ConsumerRecord<>(Topics.JOBS_BULK, 0, bulkOffset++, "k", new byte[0]);
    }

    private ConsumerRecord<String, byte[]> interactive() {
        return new ConsumerRecord<>(Topics.JOBS, 0, interactiveOffset++, "k", new byte[0]);
    }
}
