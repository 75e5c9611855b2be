package dev.genpipe.worker.processing;

import dev.genpipe.worker.gemini.GeminiFailure;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs failed Gemini calls with their cause ({@link GeminiFailure#describe()}), at most one line per failure code
 * per {@link #INTERVAL}: a burst of hundreds of failures writes a line a second per code, which says how many it
 * stands for, instead of flooding the log (or saying nothing about the cause).
 */
final class FailureLog {

    static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final Logger log = LoggerFactory.getLogger(FailureLog.class);

    private record Window(AtomicLong nextAt, AtomicLong suppressed) {
    }

    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    void failed(Object jobId, GeminiFailure failure, String then) {
        Window window = windows.computeIfAbsent(failure.code(), c -> new Window(new AtomicLong(), new AtomicLong()));
        long now = System.nanoTime();
        long next = window.nextAt().get();
        if (now - next < 0 || !window.nextAt().compareAndSet(next, now + INTERVAL.toNanos())) {
            window.suppressed().incrementAndGet();
            return;
        }
        long more = window.suppressed().getAndSet(0);
        log.warn("job {}: Gemini call failed ({}); {}{}", jobId, failure.describe(), then,
                more == 0 ? "" : " [" + more + " more " + failure.code() + " failures in the last " + INTERVAL.toSeconds()
                        + " s not logged one by one]");
    }
}
