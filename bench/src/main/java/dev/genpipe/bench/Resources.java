package dev.genpipe.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * CPU seconds and peak RSS of the processes taking part, per phase: CPU is read from {@code /proc/<pid>/stat} at the
 * start and end of the phase, RSS sampled from {@code /proc/<pid>/status} every 100 ms in between.
 */
final class Resources implements AutoCloseable {

    /** Who a process works for in the report. */
    enum Role { GENPIPE, BULLMQ, SHARED, GENERATOR }

    record Tracked(String name, Role role, long pid) {
    }

    /** One process's use during a phase. */
    record Usage(String name, Role role, double cpuSeconds, long peakRssKb) {
    }

    /**
     * The whole machine during a phase: CPU seconds busy (every process) out of the cores × wall seconds available.
     */
    record MachineLoad(double busySeconds, double capacitySeconds) {

        static final MachineLoad NONE = new MachineLoad(Double.NaN, Double.NaN);

        /** CPU seconds used by processes that are not part of the benchmark, given what the benchmark's used. */
        double outside(List<Usage> usages) {
            double ours = usages.stream().mapToDouble(Usage::cpuSeconds).sum();
            return Math.max(0, busySeconds - ours);
        }
    }

    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final List<String> order = new CopyOnWriteArrayList<>();
    private final List<Phase> phases = new CopyOnWriteArrayList<>();
    private final Thread sampler;
    private volatile boolean closed;

    Resources() {
        sampler = Thread.ofPlatform().daemon().name("bench-rss-sampler").start(this::sample);
    }

    void track(String name, Role role, long pid) {
        Tracked previous = tracked.put(name, new Tracked(name, role, pid));
        if (previous != null) {
            phases.forEach(phase -> phase.retire(previous));
        }
        if (!order.contains(name)) {
            order.add(name);
        }
    }

    void untrack(String name) {
        Tracked previous = tracked.remove(name);
        if (previous != null) {
            phases.forEach(phase -> phase.retire(previous));
        }
    }

    /** Starts measuring a phase; {@link Phase#end()} gives each tracked process's use. */
    Phase begin() {
        Phase phase = new Phase();
        phases.add(phase);
        return phase;
    }

    final class Phase {
        private final Map<String, Double> startCpu = new ConcurrentHashMap<>();
        private final Map<String, Long> maxRss = new ConcurrentHashMap<>();
        /** The latest CPU reading of each process: what counts for one that ends during the phase. */
        private final Map<String, Double> lastCpu = new ConcurrentHashMap<>();
        /** Processes that ended during the phase (a JVM out of memory, say), with their last reading. */
        private final Map<String, Tracked> gone = new ConcurrentHashMap<>();
        private final double startMachine = Proc.machineBusySeconds();
        private final long startNanos = System.nanoTime();
        private volatile MachineLoad machine = MachineLoad.NONE;

        private Phase() {
            for (Tracked t : tracked.values()) {
                OptionalDouble cpu = Proc.cpuSeconds(t.pid());
                if (cpu.isPresent()) {
                    startCpu.put(t.name() + "#" + t.pid(), cpu.getAsDouble());
                }
                observe(t);
            }
        }

        /** The machine's load between {@link #begin()} and {@link #end()}. */
        MachineLoad machine() {
            return machine;
        }

        private void observe(Tracked t) {
            Proc.rssKb(t.pid()).ifPresent(kb -> maxRss.merge(t.name(), kb, Math::max));
            OptionalDouble cpu = Proc.cpuSeconds(t.pid());
            if (cpu.isPresent()) {
                lastCpu.put(t.name() + "#" + t.pid(), cpu.getAsDouble());
            }
        }

        /** Keeps what a process used in this phase before it is replaced or stops being tracked. */
        private void retire(Tracked t) {
            observe(t);
            gone.put(t.name() + "#" + t.pid(), t);
        }

        /** Each tracked process's CPU seconds and peak RSS since {@link #begin()}, in tracking order. */
        List<Usage> end() {
            phases.remove(this);
            machine = new MachineLoad(Proc.machineBusySeconds() - startMachine,
                    Runtime.getRuntime().availableProcessors() * (System.nanoTime() - startNanos) / 1e9);
            List<Usage> usages = new ArrayList<>();
            for (String name : order) {
                Tracked t = tracked.get(name);
                if (t == null) {
                    continue;
                }
                observe(t);
                Double last = lastCpu.get(name + "#" + t.pid());
                if (last == null) {
                    continue;
                }
                double used = last - startCpu.getOrDefault(name + "#" + t.pid(), 0.0);
                for (Tracked earlier : gone.values()) { // an earlier process of the same name, ended in this phase
                    if (earlier.name().equals(name) && earlier.pid() != t.pid()) {
                        String key = name + "#" + earlier.pid();
                        used += lastCpu.getOrDefault(key, 0.0) - startCpu.getOrDefault(key, 0.0);
                    }
                }
                usages.add(new Usage(name, t.role(), used, maxRss.getOrDefault(name, 0L)));
            }
            return usages;
        }
    }

    private void sample() {
        while (!closed) {
            for (Phase phase : phases) {
                tracked.values().forEach(phase::observe);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        sampler.interrupt();
    }
}
