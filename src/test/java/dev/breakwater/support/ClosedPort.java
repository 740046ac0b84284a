package dev.breakwater.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;

/** A loopback URL nobody listens on: a processor that is down. */
public final class ClosedPort {
    private ClosedPort() {
    }

    public static URI url() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
