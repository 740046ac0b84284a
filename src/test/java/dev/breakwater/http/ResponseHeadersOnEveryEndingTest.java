package dev.breakwater.http;

import com.sun.net.httpserver.HttpServer;
import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Headers a filter attaches with {@link Request#addResponseHeader} reach the client on success, problems and crashes alike. */
class ResponseHeadersOnEveryEndingTest {

    @Test
    void attachedHeadersSurviveSuccessProblemAndUnexpectedFailure() throws Exception {
        Handler pipeline = request -> {
            request.addResponseHeader("RateLimit", "\"a\";r=1;t=1");
            request.addResponseHeader("RateLimit", "\"b\";r=2;t=1");
            return switch (request.path()) {
                case "/ok" -> Response.json(200, Map.of());
                case "/problem" -> throw new ProblemException(ProblemType.NOT_FOUND, "nothing here");
                default -> throw new IllegalStateException("a bug");
            };
        };
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", new HttpApi(pipeline, 1024, HttpApi.RequestObserver.NONE));
        server.start();
        try (HttpClient client = HttpClient.newHttpClient()) {
            for (Map.Entry<String, Integer> call : Map.of("/ok", 200, "/problem", 404, "/crash", 500).entrySet()) {
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + call.getKey())).build(),
                        HttpResponse.BodyHandlers.ofString());

                assertEquals(call.getValue(), response.statusCode());
                assertEquals("\"a\";r=1;t=1, \"b\";r=2;t=1", response.headers().firstValue("RateLimit").orElse(null));
            }
        } finally {
            server.stop(0);
        }
    }
}
