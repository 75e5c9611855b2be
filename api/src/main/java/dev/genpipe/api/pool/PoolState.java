package dev.genpipe.api.pool;

import java.util.List;
import java.util.Locale;

/** The circuit breaker state of the worker pool as a whole, derived from the live workers' breakers. */
public enum PoolState {
    /** No live worker: nobody to ask. */
    UNKNOWN,
    /** Every live worker's breaker lets calls through (CLOSED, or DISABLED / METRICS_ONLY, which never open). */
    CLOSED,
    /** Every live worker's breaker is OPEN or FORCED_OPEN: nothing reaches Gemini. */
    OPEN,
    /** Some breakers are probing (HALF_OPEN), none is open. */
    HALF_OPEN,
    /** A mix: some workers call Gemini, others have opened their breaker. */
    DEGRADED;

    /** The overall state of these breaker states (Resilience4j names, one per live worker). */
    static PoolState of(List<String> breakerStates) {
        if (breakerStates.isEmpty()) {
            return UNKNOWN;
        }
        List<String> states = breakerStates.stream().map(PoolState::normalize).toList();
        if (states.stream().allMatch(PoolState::letsCallsThrough)) {
            return CLOSED;
        }
        if (states.stream().allMatch(PoolState::isOpen)) {
            return OPEN;
        }
        if (states.contains("HALF_OPEN") && states.stream().noneMatch(PoolState::isOpen)) {
            return HALF_OPEN;
        }
        return DEGRADED;
    }

    /** The name in JSON: {@code closed}, {@code half_open}, ... */
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static String normalize(String breakerState) {
        return breakerState == null ? "UNKNOWN" : breakerState.strip().toUpperCase(Locale.ROOT);
    }

    private static boolean letsCallsThrough(String state) {
        return state.equals("CLOSED") || state.equals("DISABLED") || state.equals("METRICS_ONLY");
    }

    private static boolean isOpen(String state) {
        return state.equals("OPEN") || state.equals("FORCED_OPEN");
    }
}
