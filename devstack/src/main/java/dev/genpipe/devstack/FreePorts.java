package dev.genpipe.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds a TCP port on the loopback interface that is free right now.
 *
 * <p>The port is released before it is returned, so another process could take it in between. To make that unlikely
 * it is drawn from below the kernel's ephemeral range (Linux: 32768 and up), which the outgoing connections of every
 * client on the machine (Kafka, Redis, HTTP) take their local ports from: a port from {@code bind(0)} is exactly the
 * kind an outgoing connection may grab a moment later. A port is handed out once per JVM.
 */
public final class FreePorts {

    private FreePorts() {
    }

    private static final int LOWEST = 20_000;
    private static final int HIGHEST = 32_000; // below the usual ephemeral range
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Returns a port that was free on 127.0.0.1 a moment ago. */
    public static int next() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(LOWEST, HIGHEST);
            if (!HANDED_OUT.contains(port) && free(port) && HANDED_OUT.add(port)) {
                return port;
            }
        }
        return ephemeral();
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int ephemeral() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(false);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free TCP port on the loopback interface", e);
        }
    }
}
