package dev.genpipe.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Warm start for the api and worker JVMs with what the JDK offers: on JDK 25 and later the AOT cache (JEP 483/514:
 * classes loaded and linked ahead of time; {@code -XX:AOTCacheOutput} writes it when a training run exits,
 * {@code -XX:AOTCache} uses it), on JDK 21–24 a dynamic CDS archive ({@code -XX:+AutoCreateSharedArchive}). Only
 * classes of the JDK's own class loaders can be cached, so the Spring Boot exec jar is first extracted (Boot's
 * {@code -Djarmode=tools extract}: a thin jar plus {@code lib/}) instead of being run as a fat jar.
 *
 * <p>A missing, stale or corrupt cache never fails a start: {@code -XX:AOTMode=auto} (and {@code -Xshare:auto} for
 * CDS) makes the JVM print a warning and run without it. The children run the JDK of this JVM, so its version
 * decides the flags. Cache files carry the JDK version in their name: a JDK upgrade trains a new one.
 */
public final class AotCache {

    private static final String STAMP = ".extracted-from";

    private AotCache() {
    }

    /** Whether this JDK has the AOT cache (25+); otherwise dynamic CDS is used. */
    public static boolean aotCache() {
        return Runtime.version().feature() >= 25;
    }

    /** What the flags use, for reports and banners. */
    public static String kind() {
        return aotCache() ? "AOT cache (JDK " + Runtime.version().feature() + ", -XX:AOTCache)"
                : "dynamic CDS archive (JDK " + Runtime.version().feature() + ", -XX:SharedArchiveFile)";
    }

    /** The cache file of process {@code name} in {@code dir}, for this JDK. */
    public static Path file(Path dir, String name) {
        return dir.resolve(name + "-jdk" + Runtime.version().toString().replaceAll("[^0-9A-Za-z.+-]", "_")
                + (aotCache() ? ".aot" : ".jsa"));
    }

    /** Uses the cache if it is there, else records one that is written when the JVM exits (the local run). */
    public static List<String> useOrTrainAtExit(Path cache) {
        if (!aotCache()) {
            // creates the archive at exit when it is missing or stale, uses it otherwise
            return List.of("-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + cache, "-Xshare:auto");
        }
        return Files.isRegularFile(cache) ? using(cache) : List.of("-XX:AOTCacheOutput=" + cache);
    }

    /** Uses the cache; without it (or with a stale one) the JVM warns and starts as it would have anyway. */
    public static List<String> using(Path cache) {
        return aotCache() ? List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=auto")
                : List.of("-XX:SharedArchiveFile=" + cache, "-Xshare:auto");
    }

    /**
     * A training run of a Spring Boot app: it starts, refreshes its context (beans created, nothing started) and
     * exits, writing the cache.
     */
    public static List<String> training(Path cache) {
        return List.of(aotCache() ? "-XX:AOTCacheOutput=" + cache : "-XX:ArchiveClassesAtExit=" + cache,
                "-Dspring.context.exit=onRefresh");
    }

    /**
     * Extracts a Spring Boot exec jar into {@code dir} (thin jar + {@code lib/}) unless {@code dir} already holds
     * this very jar's extraction; a new jar replaces the directory, caches included (they match the old classes).
     * Returns the thin jar to run with {@code -jar}.
     */
    public static Path extract(String java, Path execJar, Path dir) throws IOException, InterruptedException {
        String source = execJar.toAbsolutePath() + " " + Files.size(execJar) + " "
                + Files.getLastModifiedTime(execJar).toMillis();
        Path stamp = dir.resolve(STAMP);
        Path thin = dir.resolve("app.jar");
        if (Files.isRegularFile(thin) && Files.isRegularFile(stamp) && Files.readString(stamp).equals(source)) {
            return thin;
        }
        deleteTree(dir);
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(java, "-Djarmode=tools", "-jar", execJar.toString(),
                "extract", "--destination", dir.toString(), "--application-filename", "app.jar", "--force"));
        Process extract = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("extract.log").toFile()).start();
        if (!extract.waitFor(120, TimeUnit.SECONDS) || extract.exitValue() != 0) {
            extract.destroyForcibly();
            throw new IOException("could not extract " + execJar + " (see " + dir.resolve("extract.log") + ")");
        }
        Files.writeString(stamp, source);
        return thin;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
