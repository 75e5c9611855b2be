package dev.genpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** CPU time and memory of a process, from {@code /proc/<pid>/stat} and {@code /proc/<pid>/status} (Linux). */
final class Proc {

    /** Clock ticks per second of {@code utime}/{@code stime} ({@code getconf CLK_TCK}; 100 on Linux). */
    static final long CLOCK_TICKS = clockTicks();

    private Proc() {
    }

    /** User + system CPU seconds of the process (all its threads) so far; empty if it is gone. */
    static java.util.OptionalDouble cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) may contain spaces: count fields after its closing parenthesis
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(fields[11]);
            long stime = Long.parseLong(fields[12]);
            return java.util.OptionalDouble.of((utime + stime) / (double) CLOCK_TICKS);
        } catch (IOException | RuntimeException e) {
            return java.util.OptionalDouble.empty();
        }
    }

    /** Resident set size now, in kB. */
    static OptionalLong rssKb(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** Peak resident set size over the process's life ({@code VmHWM}), in kB. */
    static OptionalLong peakRssKb(long pid) {
        return statusField(pid, "VmHWM:");
    }

    /** CPU seconds the whole machine has been busy (all cores, all processes) since boot, from {@code /proc/stat}. */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().strip().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + (f.length > 8 ? Long.parseLong(f[8]) : 0);
            return busy / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    static boolean available() {
        return Files.isReadable(Path.of("/proc/self/stat"));
    }

    private static OptionalLong statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return OptionalLong.of(Long.parseLong(line.substring(field.length()).replace("kB", "").strip()));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return OptionalLong.empty();
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).strip();
            getconf.waitFor();
            long ticks = Long.parseLong(out);
            return ticks > 0 ? ticks : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
