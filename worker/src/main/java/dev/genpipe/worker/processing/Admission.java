package dev.genpipe.worker.processing;

import dev.genpipe.common.job.Priority;

/**
 * Which lane fills a free in-flight place: interactive first, always; but while bulk work waits too, bulk keeps a
 * reserved share of the places ({@code genpipe.worker.bulk-share}), so that a steady interactive load never starves
 * it. Interactive work takes every place bulk does not reserve; when no interactive work waits, bulk takes them all.
 * A rule of counts, with no clock: the same state always gives the same answer.
 */
final class Admission {

    private final double bulkShare;

    Admission(double bulkShare) {
        this.bulkShare = bulkShare;
    }

    /**
     * The places kept for bulk among {@code bound} while both lanes wait: the bulk share of them, rounded up, but at
     * least one and at most all but one (none when the bound is a single place or the share is 0).
     */
    int bulkReserve(int bound) {
        if (bound < 2 || bulkShare <= 0) {
            return 0;
        }
        int share = (int) Math.ceil(bound * bulkShare - 1e-9);
        return Math.min(bound - 1, Math.max(1, share));
    }

    /**
     * @return the lane whose oldest waiting record takes a place now; null when every place is taken or nothing that
     *         may start waits
     */
    Priority next(int bound, int interactiveInFlight, int bulkInFlight, boolean interactiveWaits, boolean bulkWaits) {
        if (interactiveInFlight + bulkInFlight >= bound) {
            return null;
        }
        if (interactiveWaits && (!bulkWaits || interactiveInFlight < bound - bulkReserve(bound))) {
            return Priority.INTERACTIVE;
        }
        return bulkWaits ? Priority.BULK : null;
    }
}
