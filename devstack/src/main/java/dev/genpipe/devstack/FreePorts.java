package dev.genpipe.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds a TCP port on the loopback interface that is free right now.
 *
 * <p>The port is released before it is returned, so another process could take it in between;
 * for tests and the local run that window is small enough.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** Returns a port that was free on 127.0.0.1 a moment ago. */
    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(false);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free TCP port on the loopback interface", e);
        }
    }
}
