package dev.genpipe.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm-start flags: a missing or broken cache never stops a JVM from starting; a training run writes one. */
class AotCacheTest {

    @TempDir
    Path dir;

    @Test
    void aJvmStartsWithAMissingOrBrokenCache() throws Exception {
        Path jar = TestJars.runnable(FakeServiceMain.class, dir.resolve("app.jar"));
        Path missing = AotCache.file(dir, "missing");
        Path broken = AotCache.file(dir, "broken");
        Files.writeString(broken, "not a cache");

        assertThat(run(AotCache.using(missing), jar)).isZero();
        assertThat(run(AotCache.using(broken), jar)).isZero();
        assertThat(run(AotCache.useOrTrainAtExit(broken), jar)).isZero();
    }

    @Test
    void aTrainingRunWritesTheCacheAtExitAndTheNextStartUsesIt() throws Exception {
        Path jar = TestJars.runnable(FakeServiceMain.class, dir.resolve("app.jar"));
        Path cache = AotCache.file(dir, "app");
        List<String> first = AotCache.useOrTrainAtExit(cache);

        assertThat(run(first, jar)).isZero();

        assertThat(cache).isRegularFile();
        assertThat(AotCache.useOrTrainAtExit(cache)).isEqualTo(AotCache.aotCache() ? AotCache.using(cache) : first);
        assertThat(cache.getFileName().toString()).contains("jdk" + Runtime.version().feature());
    }

    @Test
    void onlyASpringBootJarIsExtracted() throws IOException {
        Path jar = TestJars.runnable(FakeServiceMain.class, dir.resolve("plain.jar"));

        assertThatThrownBy(() -> AotCache.extract(LocalRun.javaCommand(), jar, dir.resolve("extracted")))
                .isInstanceOf(IOException.class).hasMessageContaining("could not extract");
    }

    /** Runs the fake service, which exits at once with code 0 (FAKE_EXIT_CODE). */
    private static int run(List<String> flags, Path jar) throws Exception {
        List<String> command = new ArrayList<>(List.of(LocalRun.javaCommand()));
        command.addAll(flags);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("FAKE_EXIT_CODE", "0");
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the JVM did not end: " + command);
        }
        return process.exitValue();
    }
}
