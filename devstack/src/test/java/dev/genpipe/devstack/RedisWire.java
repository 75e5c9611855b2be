package dev.genpipe.devstack;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Just enough of the Redis protocol for tests: send a command, read a simple or array-of-bulk reply. */
final class RedisWire {

    private RedisWire() {
    }

    static List<String> command(String host, int port, String... args) throws IOException {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n")
                        .append(arg).append("\r\n");
            }
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String first = in.readLine();
            if (first.startsWith("*")) {
                List<String> items = new ArrayList<>();
                int count = Integer.parseInt(first.substring(1));
                for (int i = 0; i < count; i++) {
                    in.readLine();
                    items.add(in.readLine());
                }
                return items;
            }
            if (first.startsWith("$") && !first.equals("$-1")) {
                return List.of(in.readLine());
            }
            return List.of(first);
        }
    }
}
