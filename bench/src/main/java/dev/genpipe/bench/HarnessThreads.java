package dev.genpipe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * The harness JVM's CPU split by what its platform threads do: the in-process Kafka broker, and HTTP (the Gemini
 * stand-in's server and handlers and GenPipe's load generator: selectors, the arrival clock, virtual-thread carriers).
 * JIT compiler and GC threads are not Java threads: they are the rest of the process's CPU.
 */
final class HarnessThreads {

    static final String KAFKA = "harness: Kafka broker threads";
    static final String HTTP = "harness: stand-in + GenPipe load generator (HTTP, virtual threads)";
    static final String REST = "harness: JIT, GC and the rest";

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private HarnessThreads() {
    }

    /** CPU seconds so far per group ({@link #KAFKA}, {@link #HTTP}) of the threads alive now. */
    static Map<String, Double> cpuSeconds() {
        Map<String, Double> groups = new HashMap<>();
        groups.put(KAFKA, 0.0);
        groups.put(HTTP, 0.0);
        if (!THREADS.isThreadCpuTimeSupported()) {
            return groups;
        }
        long[] ids = THREADS.getAllThreadIds();
        ThreadInfo[] infos = THREADS.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (infos[i] == null) {
                continue;
            }
            long nanos = THREADS.getThreadCpuTime(ids[i]);
            if (nanos > 0) {
                groups.merge(group(infos[i].getThreadName()), nanos / 1e9, Double::sum);
            }
        }
        return groups;
    }

    private static String group(String name) {
        if (name.startsWith("ForkJoinPool") || name.startsWith("HttpClient") || name.startsWith("HTTP-Dispatcher")
                || name.equals("main") || name.startsWith("genpipe-") || name.startsWith("Thread-")
                || name.startsWith("InnocuousThread") || name.startsWith("VirtualThread")) {
            return HTTP;
        }
        if (name.startsWith("bench-")) {
            return REST;
        }
        return KAFKA;
    }
}
