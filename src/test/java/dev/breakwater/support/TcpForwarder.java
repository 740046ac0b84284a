package dev.breakwater.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A stand-in for the load balancer in front of a service that restarts on a new port: it
 * listens on 127.0.0.1, port 0, for good, and forwards each connection to wherever the service
 * listens now. A connection it cannot forward is closed at once, as a balancer with no healthy
 * backend would; one whose backend dies is closed with it.
 */
public final class TcpForwarder implements AutoCloseable {
    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private volatile int targetPort;

    public TcpForwarder(int targetPort) {
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        threads.submit(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** New connections go to this port from now on; open ones stay where they are. */
    public void forwardTo(int port) {
        targetPort = port;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                threads.submit(() -> forward(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void forward(Socket client) {
        try (client; Socket backend = new Socket()) {
            backend.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 1000);
            client.setTcpNoDelay(true);
            backend.setTcpNoDelay(true);
            var upstream = threads.submit(() -> pump(client.getInputStream(), backend.getOutputStream(), backend));
            pump(backend.getInputStream(), client.getOutputStream(), client);
            upstream.cancel(true);
        } catch (IOException refusedOrBroken) {
            // The client sees its connection closed: the backend is down or went away.
        }
    }

    /** Copies until either side ends, then closes {@code sink} so the other pump ends too. */
    private static Void pump(InputStream from, OutputStream to, Socket sink) {
        byte[] buffer = new byte[16 * 1024];
        try {
            int n;
            while ((n = from.read(buffer)) >= 0) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException ended) {
            // Either side closed or reset.
        } finally {
            try {
                sink.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        return null;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        threads.shutdownNow();
    }
}
