package dev.breakwater.http;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Body reading at the boundary: skipped when there is none, complete when sized or chunked, 413 past the limit. */
class HttpApiBodyTest {
    private static final int MAX = 2048;
    private HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        Handler echoLength = request -> Response.text(200, "text/plain", Integer.toString(request.body().length));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", new HttpApi(echoLength, MAX, HttpApi.RequestObserver.NONE));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        client.close();
    }

    @Test
    void requestWithoutBodyHasAnEmptyBody() throws Exception {
        assertEquals("200 0", send(HttpRequest.BodyPublishers.noBody(), "GET"));
    }

    @Test
    void sizedAndChunkedBodiesAreReadCompletely() throws Exception {
        byte[] body = "x".repeat(MAX).getBytes(StandardCharsets.UTF_8);

        assertEquals("200 " + MAX, send(HttpRequest.BodyPublishers.ofByteArray(body), "POST"));
        assertEquals("200 " + MAX, send(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)), "POST"));
    }

    @Test
    void bodiesPastTheLimitAre413WhetherSizedOrChunked() throws Exception {
        byte[] body = "x".repeat(MAX + 1).getBytes(StandardCharsets.UTF_8);

        assertEquals(413, Integer.parseInt(send(HttpRequest.BodyPublishers.ofByteArray(body), "POST").split(" ")[0]));
        assertEquals(413, Integer.parseInt(send(HttpRequest.BodyPublishers.ofInputStream(
                () -> new ByteArrayInputStream(body)), "POST").split(" ")[0]));
    }

    private String send(HttpRequest.BodyPublisher body, String method) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/echo"))
                .method(method, body).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + (response.statusCode() == 200 ? " " + response.body() : "");
    }
}
