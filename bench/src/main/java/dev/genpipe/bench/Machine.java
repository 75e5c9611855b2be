package dev.genpipe.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.json.JsonMapper;

/** What the figures were measured on: machine, runtimes and versions, commit and date. */
record Machine(Map<String, String> facts) {

    static Machine describe(Path home, String node, int redisPort, String heap) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("date", DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC)
                .format(Instant.now()));
        facts.put("cores", Runtime.getRuntime().availableProcessors() + " (" + cpuModel() + ")");
        facts.put("memory", memory());
        facts.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        facts.put("JDK", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version")
                + " (API and workers: the same JDK, -Xmx" + heap + ("512m".equals(heap) ? " as in the local run" : "")
                + ", -XX:+ExitOnOutOfMemoryError: the harness starts an API that died again before the next phase; "
                + "run from Boot's extracted layout, warm-start cache only in the cold-start phase: "
                + dev.genpipe.devstack.AotCache.kind() + ")");
        facts.put("Node", output(home, node, "--version") + ", BullMQ " + packageVersion(home, "bullmq")
                + ", ioredis " + packageVersion(home, "ioredis"));
        facts.put("Kafka", org.apache.kafka.common.utils.AppInfoParser.getVersion()
                + " (one KRaft broker in a JVM of its own: devstack's `kafka` command, -Xmx" + Stack.KAFKA_HEAP + ")");
        facts.put("Redis", redisVersion(redisPort) + " (redis-server from embedded-redis, shared by both systems)");
        facts.put("commit", output(home, "git", "rev-parse", "--short", "HEAD")
                + (output(home, "git", "status", "--porcelain").isBlank() ? "" : " + uncommitted changes"));
        return new Machine(facts);
    }

    Machine with(String fact, String value) {
        Map<String, String> more = new LinkedHashMap<>(facts);
        more.put(fact, value);
        return new Machine(more);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static String memory() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024.0)
                    .map(gb -> String.format(java.util.Locale.ROOT, "%.1f GiB", gb)).findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String packageVersion(Path home, String name) {
        try {
            return JsonMapper.builder().build().readTree(Files.readString(
                    home.resolve("bench/bullmq/node_modules").resolve(name).resolve("package.json")))
                    .path("version").asString("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String redisVersion(int port) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("INFO server\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int read = in.read(buffer);
            String text = new String(buffer, 0, Math.max(0, read), StandardCharsets.US_ASCII);
            for (String line : text.split("\r\n")) {
                if (line.startsWith("redis_version:")) {
                    return "redis-server " + line.substring("redis_version:".length()).strip();
                }
            }
        } catch (IOException e) {
            // unknown
        }
        return "redis-server";
    }

    private static String output(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? text : "?";
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }
}
