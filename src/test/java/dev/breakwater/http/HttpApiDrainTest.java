package dev.breakwater.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Once draining, a kept-alive connection gets one more answer, marked {@code Connection: close}, and is closed. */
class HttpApiDrainTest {
    private static final String REQUEST = "GET /ping HTTP/1.1\r\nHost: localhost\r\n\r\n";
    private HttpServer server;
    private HttpApi api;

    @BeforeEach
    void start() throws Exception {
        api = new HttpApi(request -> Response.text(200, "text/plain", "pong"), 1024, HttpApi.RequestObserver.NONE);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", api);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aDrainingServerAnswersTheNextRequestOnAKeptAliveConnectionAndClosesIt() throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();

            // given: a kept-alive connection
            out.write(REQUEST.getBytes(StandardCharsets.US_ASCII));
            String before = readResponse(in);
            assertTrue(before.startsWith("HTTP/1.1 200"), before);
            assertFalse(before.toLowerCase(Locale.ROOT).contains("connection: close"), before);

            // when
            api.drain();
            out.write(REQUEST.getBytes(StandardCharsets.US_ASCII));

            // then: answered, told the connection ends, and it does
            String after = readResponse(in);
            assertTrue(after.startsWith("HTTP/1.1 200"), after);
            assertTrue(after.toLowerCase(Locale.ROOT).contains("\r\nconnection: close\r\n"), after);
            assertEquals(-1, in.read(), "the connection should be closed after the answer");
        }
    }

    /** Reads one response whose body is "pong" (the only body this server sends). */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        while (!response.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\npong")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed mid-response: " + response.toString(StandardCharsets.US_ASCII));
            }
            response.write(b);
        }
        return response.toString(StandardCharsets.US_ASCII);
    }
}
