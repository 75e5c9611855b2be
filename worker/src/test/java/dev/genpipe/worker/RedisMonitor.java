package dev.genpipe.worker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every command redis-server executes, as {@code MONITOR} shows it on a raw connection of its own: one line per
 * command, {@code <time> [<db> <client address>] "<command>" "<arg>"...}, or {@code [<db> lua]} for a command that a
 * script ran (which is no round trip of its own).
 */
final class RedisMonitor implements AutoCloseable {

    private final Socket socket;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    RedisMonitor(String host, int port) throws IOException {
        socket = new Socket(host, port);
        OutputStream out = socket.getOutputStream();
        out.write("*1\r\n$7\r\nMONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String ok = in.readLine();
        if (!"+OK".equals(ok)) {
            socket.close();
            throw new IOException("MONITOR refused: " + ok);
        }
        reader = Thread.ofPlatform().daemon().name("redis-monitor").start(() -> {
            try {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // closed
            }
        });
    }

    int mark() {
        return lines.size();
    }

    boolean saw(String text) {
        return lines.stream().anyMatch(l -> l.contains(text));
    }

    /**
     * The commands clients sent since {@code mark} — each one round trip — leaving out what scripts ran and the
     * commands named in {@code ignored} (lower case).
     */
    List<String> sentSince(int mark, Set<String> ignored) {
        return lines.subList(mark, lines.size()).stream()
                .filter(l -> l.startsWith("+") && l.contains("] ") && !l.contains(" lua] "))
                .map(l -> l.substring(l.indexOf("] ") + 2))
                .filter(command -> !ignored.contains(name(command)))
                .toList();
    }

    private static String name(String command) {
        int end = command.indexOf('"', 1);
        return end < 0 ? command : command.substring(1, end).toLowerCase();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.close();
        reader.join(5_000);
    }
}
