package dev.genpipe.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 that closes every connection that has been idle for {@code idleTimeout}, the way servers,
 * load balancers and NAT gateways do (the JDK's HTTP server after about 30 s, Google's front ends on their own
 * schedule): a client that keeps idle connections longer finds them dead when it reuses them. Tests put it between a
 * worker and the Gemini stand-in.
 */
public final class IdleClosingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long idleNanos;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger closedIdle = new AtomicInteger();
    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("idle-proxy-reaper").factory());
    private volatile boolean closed;

    private IdleClosingProxy(int targetPort, Duration idleTimeout) throws IOException {
        this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.idleNanos = idleTimeout.toNanos();
        Thread.ofPlatform().daemon().name("idle-proxy-accept").start(this::accept);
        long tick = Math.max(10, idleTimeout.toMillis() / 10);
        reaper.scheduleWithFixedDelay(this::reap, tick, tick, TimeUnit.MILLISECONDS);
    }

    /** A proxy to 127.0.0.1:{@code targetPort} that closes connections idle for {@code idleTimeout}. */
    public static IdleClosingProxy start(int targetPort, Duration idleTimeout) {
        try {
            return new IdleClosingProxy(targetPort, idleTimeout);
        } catch (IOException e) {
            throw new UncheckedIOException("the idle-closing proxy could not listen", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Connections closed because they were idle. */
    public int closedIdle() {
        return closedIdle.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(target, 5000);
                Link link = new Link(client, upstream);
                links.add(link);
                Thread.ofVirtual().start(() -> link.pump(client, upstream));
                Thread.ofVirtual().start(() -> link.pump(upstream, client));
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void reap() {
        long now = System.nanoTime();
        for (Link link : links) {
            if (now - link.lastActive > idleNanos) {
                links.remove(link);
                closedIdle.incrementAndGet();
                link.close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        reaper.shutdownNow();
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        links.forEach(Link::close);
    }

    /** One proxied connection: bytes both ways, the time of the last one. */
    private final class Link {

        private final Socket client;
        private final Socket upstream;
        private volatile long lastActive = System.nanoTime();

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    lastActive = System.nanoTime();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the other side or the reaper closed it
            } finally {
                links.remove(this);
                close();
            }
        }

        void close() {
            closeQuietly(client);
            closeQuietly(upstream);
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
