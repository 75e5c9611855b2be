package dev.genpipe.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs child processes in their own session where the {@code setsid} tool exists (Linux), so a terminal's
 * Ctrl-C (SIGINT to the whole foreground process group) reaches only this JVM, which then stops the
 * children in order. {@code setsid} execs the command in place, so the child's pid stays the same.
 */
final class Sessions {

    private static final List<String> PREFIX = find();

    private Sessions() {
    }

    static List<String> detachedPrefix() {
        return PREFIX;
    }

    private static List<String> find() {
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return List.of(candidate);
            }
        }
        return List.of();
    }
}
