package dev.genpipe.devstack;

import dev.genpipe.devstack.GeminiStandIn.Failure;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The stand-in's run-time behaviour: latency, injected failures, retry delays. Thread-safe. */
final class StandInSettings {

    static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(2);
    static final Duration DEFAULT_DAILY_RETRY_DELAY = Duration.ofHours(1);
    static final int ALWAYS = -1;

    /** An immutable view of the settings. {@code failRemaining} is {@link #ALWAYS} for "until recovered". */
    record Snapshot(Duration latency, Failure failure, int failRemaining, Duration retryDelay,
            Duration dailyRetryDelay, Map<String, Failure> modelFailures) {
    }

    private final Map<String, Failure> modelFailures = new TreeMap<>();

    private Duration latency = Duration.ZERO;
    private Failure failure;
    private int failRemaining;
    private Duration retryDelay = DEFAULT_RETRY_DELAY;
    private Duration dailyRetryDelay = DEFAULT_DAILY_RETRY_DELAY;
    private static final int EVERY_HELD_CALL = Integer.MAX_VALUE / 2;
    private java.util.concurrent.Semaphore gate; // null: calls go through

    /** Calls that arrive from now on wait (counted as in flight) until {@link #allow} or {@link #release()}. */
    synchronized void hold() {
        if (gate == null) {
            gate = new java.util.concurrent.Semaphore(0);
        }
    }

    /** Lets {@code calls} held (or later) calls through; the gate stays closed for the rest. */
    synchronized void allow(int calls) {
        if (gate != null) {
            gate.release(calls);
        }
    }

    /** Lets every held call go on, and the following ones through. */
    synchronized void release() {
        if (gate != null) {
            gate.release(EVERY_HELD_CALL);
            gate = null;
        }
    }

    /** The gate a call waits at, or null when calls are not held. */
    synchronized java.util.concurrent.Semaphore gate() {
        return gate;
    }

    synchronized void latency(Duration value) {
        latency = requireNonNegative(value, "latency");
    }

    synchronized Duration latency() {
        return latency;
    }

    synchronized void retryDelay(Duration value) {
        retryDelay = requireNonNegative(value, "retryDelay");
    }

    synchronized void dailyRetryDelay(Duration value) {
        dailyRetryDelay = requireNonNegative(value, "dailyRetryDelay");
    }

    synchronized void failNext(int count, Failure value) {
        Objects.requireNonNull(value, "failure");
        if (count <= 0) {
            recover();
            return;
        }
        failure = value;
        failRemaining = count;
    }

    synchronized void failAlways(Failure value) {
        failure = Objects.requireNonNull(value, "failure");
        failRemaining = ALWAYS;
    }

    /** Every call to {@code model} fails this way until recovered; null recovers that model. */
    synchronized void failModel(String model, Failure value) {
        Objects.requireNonNull(model, "model");
        if (value == null) {
            modelFailures.remove(model);
        } else {
            modelFailures.put(model, value);
        }
    }

    synchronized void recover() {
        failure = null;
        failRemaining = 0;
        modelFailures.clear();
    }

    /**
     * Returns the failure this call to {@code model} must suffer, if any: the model's own, else one of a
     * "fail next n" budget (consuming it) or the "fail always" one.
     */
    synchronized Failure takeFailure(String model) {
        Failure ofModel = modelFailures.get(model);
        if (ofModel != null) {
            return ofModel;
        }
        if (failure == null) {
            return null;
        }
        Failure taken = failure;
        if (failRemaining != ALWAYS && --failRemaining == 0) {
            failure = null;
        }
        return taken;
    }

    synchronized Snapshot snapshot() {
        return new Snapshot(latency, failure, failure == null ? 0 : failRemaining, retryDelay, dailyRetryDelay,
                Map.copyOf(modelFailures));
    }

    synchronized void reset() {
        release();
        latency = Duration.ZERO;
        recover();
        retryDelay = DEFAULT_RETRY_DELAY;
        dailyRetryDelay = DEFAULT_DAILY_RETRY_DELAY;
    }

    private static Duration requireNonNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + value);
        }
        return value;
    }
}
