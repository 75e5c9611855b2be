package dev.genpipe.worker.processing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.genpipe.common.job.Priority;
import org.junit.jupiter.api.Test;

class AdmissionTest {

    private final Admission tenPercent = new Admission(0.1);

    @Test
    void bulkKeepsItsShareOfThePlacesRoundedUpButAtLeastOneAndNeverAll() {
        assertThat(tenPercent.bulkReserve(8)).isEqualTo(1);
        assertThat(tenPercent.bulkReserve(256)).isEqualTo(26);
        assertThat(tenPercent.bulkReserve(30)).as("no floating-point surplus").isEqualTo(3);
        assertThat(tenPercent.bulkReserve(3)).as("half-open probes").isEqualTo(1);
        assertThat(tenPercent.bulkReserve(1)).as("a single place cannot be shared").isZero();
        assertThat(new Admission(0.5).bulkReserve(2)).isEqualTo(1);
        assertThat(new Admission(0.5).bulkReserve(3)).as("all but one at most").isEqualTo(2);
        assertThat(new Admission(0).bulkReserve(256)).as("strict priority").isZero();
    }

    @Test
    void aFreePlaceGoesToInteractiveWorkFirstWhileBulkHoldsItsReserve() {
        assertThat(tenPercent.next(8, 0, 7, true, true)).isEqualTo(Priority.INTERACTIVE);
        assertThat(tenPercent.next(8, 6, 1, true, true)).isEqualTo(Priority.INTERACTIVE);
    }

    @Test
    void bulkGetsItsReservedPlaceWhenInteractiveWorkHoldsTheRest() {
        assertThat(tenPercent.next(8, 7, 0, true, true)).isEqualTo(Priority.BULK);
        assertThat(new Admission(0).next(8, 7, 0, true, true)).as("strict priority").isEqualTo(Priority.INTERACTIVE);
    }

    @Test
    void eachLaneTakesEveryPlaceWhenTheOtherHasNothingWaiting() {
        assertThat(tenPercent.next(8, 7, 0, true, false)).isEqualTo(Priority.INTERACTIVE);
        assertThat(tenPercent.next(8, 0, 7, false, true)).isEqualTo(Priority.BULK);
        assertThat(tenPercent.next(8, 3, 4, false, false)).isNull();
    }

    @Test
    void nothingStartsWhenEveryPlaceIsTaken() {
        assertThat(tenPercent.next(8, 0, 8, true, true)).isNull();
        assertThat(tenPercent.next(8, 8, 0, true, true)).isNull();
        assertThat(tenPercent.next(0, 0, 0, true, true)).as("breaker OPEN").isNull();
    }
}
