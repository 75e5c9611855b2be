package dev.genpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the API's and the workers' CPU time goes during one run, from their JFR recordings ({@code settings=profile}):
 * execution samples in the run's window, grouped by the library of the top frame, by top frame, and by the nearest
 * GenPipe method on the stack; plus GC pauses in the window.
 */
final class Profiles {

    private static final int TOP = 10;
    private static final List<Map.Entry<String, String>> LIBRARIES = List.of(
            Map.entry("dev.genpipe.", "GenPipe code"),
            Map.entry("org.apache.kafka.", "Kafka clients / Streams"),
            Map.entry("kafka.", "Kafka clients / Streams"),
            Map.entry("org.rocksdb.", "Kafka Streams (RocksDB)"),
            Map.entry("tools.jackson.", "Jackson (JSON)"),
            Map.entry("com.fasterxml.jackson.", "Jackson (JSON)"),
            Map.entry("com.google.genai.", "google-genai SDK"),
            Map.entry("com.google.", "google-genai SDK"),
            Map.entry("okhttp3.", "OkHttp (SDK transport)"),
            Map.entry("okio.", "OkHttp (SDK transport)"),
            Map.entry("org.redisson.", "Redisson / Netty"),
            Map.entry("io.netty.", "Redisson / Netty"),
            Map.entry("org.apache.catalina.", "Tomcat"),
            Map.entry("org.apache.coyote.", "Tomcat"),
            Map.entry("org.apache.tomcat.", "Tomcat"),
            Map.entry("org.springframework.", "Spring"),
            Map.entry("io.micrometer.", "Micrometer"),
            Map.entry("io.github.resilience4j.", "Resilience4j"),
            Map.entry("ch.qos.logback.", "Logging"),
            Map.entry("org.slf4j.", "Logging"),
            Map.entry("java.util.zip.", "JDK compression / checksums"),
            Map.entry("sun.nio.", "JDK network I/O"),
            Map.entry("java.nio.", "JDK network I/O"),
            Map.entry("sun.net.", "JDK network I/O"),
            Map.entry("java.net.", "JDK network I/O"),
            Map.entry("java.util.concurrent.", "JDK concurrency"),
            Map.entry("jdk.internal.misc.", "JDK concurrency"),
            Map.entry("java.lang.invoke.", "JDK reflection / invoke"),
            Map.entry("java.lang.reflect.", "JDK reflection / invoke"),
            Map.entry("jdk.internal.reflect.", "JDK reflection / invoke"),
            Map.entry("java.", "JDK other"),
            Map.entry("jdk.", "JDK other"),
            Map.entry("sun.", "JDK other"));

    private Profiles() {
    }

    /** One process's profile in the window. */
    record Profile(String process, int samples, Map<String, Integer> byLibrary, Map<String, Integer> byTopFrame,
                   Map<String, Integer> byGenPipeMethod, int gcPauses, Duration gcPauseTotal,
                   Map<String, Integer> waitMillisByGenPipeMethod, int waits) {
    }

    /** Blocking events JFR's profile settings record when they last 10 ms or more. */
    private static final Map<String, String> WAITS = Map.of(
            "jdk.ThreadPark", "parked",
            "jdk.SocketRead", "socket read",
            "jdk.JavaMonitorEnter", "monitor enter",
            "jdk.JavaMonitorWait", "monitor wait",
            "jdk.ThreadSleep", "sleep");

    static List<Profile> summarise(Map<String, Path> recordings, Instant from, Instant to) {
        List<Profile> profiles = new ArrayList<>();
        recordings.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            if (Files.isRegularFile(entry.getValue())) {
                try {
                    profiles.add(summarise(entry.getKey(), entry.getValue(), from, to));
                } catch (IOException e) {
                    System.err.println("[bench] cannot read " + entry.getValue() + ": " + e);
                }
            }
        });
        return profiles;
    }

    private static Profile summarise(String process, Path recording, Instant from, Instant to) throws IOException {
        Map<String, Integer> byLibrary = new HashMap<>();
        Map<String, Integer> byTop = new HashMap<>();
        Map<String, Integer> byOwn = new HashMap<>();
        Map<String, Integer> waitMillis = new HashMap<>();
        int waits = 0;
        int samples = 0;
        int gcPauses = 0;
        Duration gcTotal = Duration.ZERO;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                Instant at = event.getStartTime();
                if (at.isBefore(from) || at.isAfter(to)) {
                    continue;
                }
                String type = event.getEventType().getName();
                if (type.equals("jdk.GarbageCollection")) {
                    gcPauses++;
                    gcTotal = gcTotal.plus(event.getDuration("sumOfPauses"));
                    continue;
                }
                if (WAITS.containsKey(type) && event.getStackTrace() != null) {
                    String own = event.getStackTrace().getFrames().stream().map(Profiles::name)
                            .filter(n -> n.startsWith("dev.genpipe.")).findFirst().orElse(null);
                    if (own != null) {
                        waits++;
                        waitMillis.merge(WAITS.get(type) + " in `" + own + "`",
                                (int) event.getDuration().toMillis(), Integer::sum);
                    }
                    continue;
                }
                if (!type.equals("jdk.ExecutionSample")) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                String top = name(frames.getFirst());
                byTop.merge(top, 1, Integer::sum);
                byLibrary.merge(library(top), 1, Integer::sum);
                String own = frames.stream().map(Profiles::name).filter(n -> n.startsWith("dev.genpipe."))
                        .findFirst().orElse("(no GenPipe frame: framework or JDK threads)");
                byOwn.merge(own, 1, Integer::sum);
            }
        }
        return new Profile(process, samples, top(byLibrary, 12), top(byTop, TOP), top(byOwn, TOP), gcPauses, gcTotal,
                top(waitMillis, TOP), waits);
    }

    private static String name(RecordedFrame frame) {
        if (frame.getMethod() == null || frame.getMethod().getType() == null) {
            return "(unknown)";
        }
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }

    private static String library(String frame) {
        for (Map.Entry<String, String> library : LIBRARIES) {
            if (frame.startsWith(library.getKey())) {
                return library.getValue();
            }
        }
        return "other";
    }

    private static Map<String, Integer> top(Map<String, Integer> counts, int n) {
        Map<String, Integer> top = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(n).forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }
}
