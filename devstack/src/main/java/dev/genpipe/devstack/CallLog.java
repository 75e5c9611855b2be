package dev.genpipe.devstack;

import dev.genpipe.devstack.GeminiStandIn.ReceivedCall;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts generate calls and keeps the most recent ones. Thread-safe. */
final class CallLog {

    static final int KEPT_CALLS = 10_000;

    private final AtomicInteger count = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final Deque<ReceivedCall> recent = new ArrayDeque<>();

    void record(ReceivedCall call) {
        synchronized (recent) {
            if (recent.size() == KEPT_CALLS) {
                recent.removeFirst();
            }
            recent.addLast(call);
        }
        count.incrementAndGet();
    }

    /** A call arrived and is being answered (until {@link #ended()}). */
    void began() {
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    }

    void ended() {
        inFlight.decrementAndGet();
    }

    int inFlight() {
        return inFlight.get();
    }

    int peakConcurrency() {
        return peak.get();
    }

    int count() {
        return count.get();
    }

    List<ReceivedCall> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    void reset() {
        synchronized (recent) {
            recent.clear();
            count.set(0);
            peak.set(inFlight.get());
        }
    }
}
