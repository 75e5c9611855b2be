package dev.genpipe.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Node.js side of the benchmark needs {@code node} and the packages locked in
 * {@code bench/bullmq/package-lock.json}. If they are not installed (or not the locked versions) this runs
 * {@code npm ci}; when that is impossible it fails with what to do — it never skips the BullMQ side.
 */
final class NodeDeps {

    static final String INSTALL_COMMAND = "npm ci --prefix bench/bullmq";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private NodeDeps() {
    }

    /** Returns the {@code node} command once the locked packages are installed in {@code dir}. */
    static String ensureInstalled(Path dir, Consumer<String> log) throws IOException, InterruptedException {
        String node = "node";
        String version = run(dir, List.of(node, "--version"), 30);
        if (version == null || !version.strip().startsWith("v")) {
            throw new IllegalStateException("Node.js (node 18 or newer) is needed for the BullMQ side of the "
                    + "benchmark and was not found on the PATH. Install it (e.g. apt-get install nodejs npm), then "
                    + "run: " + INSTALL_COMMAND);
        }
        int major = Integer.parseInt(version.strip().substring(1).split("\\.")[0]);
        if (major < 18) {
            throw new IllegalStateException("Node.js " + version.strip()
                    + " is too old: the BullMQ side needs 18+ (fetch)");
        }
        if (installed(dir)) {
            return node;
        }
        log.accept("installing the BullMQ side's Node packages (npm ci in " + dir + ") ...");
        String npm = run(dir, List.of("npm", "ci", "--no-audit", "--no-fund"), 300);
        if (npm == null) {
            throw new IllegalStateException("npm is needed to install the BullMQ side of the benchmark and was not "
                    + "found (or did not finish in 300 s). Install npm, then run: " + INSTALL_COMMAND);
        }
        if (!installed(dir)) {
            throw new IllegalStateException("npm ci failed to install the BullMQ side's packages in " + dir
                    + " (is the npm registry reachable?). Run: " + INSTALL_COMMAND + "\nnpm said:\n" + npm);
        }
        return node;
    }

    /** Whether every dependency of package.json is installed at the version package-lock.json locks. */
    static boolean installed(Path dir) throws IOException {
        JsonNode manifest = JSON.readTree(Files.readString(dir.resolve("package.json")));
        Path lockFile = dir.resolve("package-lock.json");
        if (!Files.isRegularFile(lockFile)) {
            throw new IllegalStateException(lockFile + " is missing: it is part of the repository");
        }
        JsonNode lock = JSON.readTree(Files.readString(lockFile)).path("packages");
        for (Map.Entry<String, JsonNode> dependency : manifest.path("dependencies").properties()) {
            String name = dependency.getKey();
            Path installedManifest = dir.resolve("node_modules").resolve(name).resolve("package.json");
            if (!Files.isRegularFile(installedManifest)) {
                return false;
            }
            String locked = lock.path("node_modules/" + name).path("version").asString("");
            String actual = JSON.readTree(Files.readString(installedManifest)).path("version").asString("");
            if (locked.isEmpty() || !locked.equals(actual)) {
                return false;
            }
        }
        return true;
    }

    /** Runs a command; its output, or null if it could not run or did not finish in time. */
    private static String run(Path dir, List<String> command, int timeoutS) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[][] out = new byte[1][];
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    out[0] = process.getInputStream().readAllBytes();
                } catch (IOException e) {
                    out[0] = new byte[0];
                }
            });
            if (!process.waitFor(timeoutS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            reader.join(5_000);
            String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
            return process.exitValue() == 0 ? text : text.isEmpty() ? "(exit code " + process.exitValue() + ")" : text;
        } catch (IOException e) {
            return null;
        }
    }
}
