package dev.breakwater.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.spi.HttpServerProvider;
import dev.breakwater.AppConfig;
import dev.breakwater.common.Env;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The suite runs once per provider (pom.xml: the JVM names it in {@value ServerProvider#SELECTOR});
 * these tests hold the selection itself: the setting, the server it gives, and the refusal to mix.
 */
class ServerProviderTest {

    @Test
    void theSettingNamesAProviderCaseInsensitively() {
        assertEquals(ServerProvider.JDK, ServerProvider.fromEnv(new Env(Map.of("BREAKWATER_HTTP_SERVER", "jdk"))));
        assertEquals(ServerProvider.ROBAHO, ServerProvider.fromEnv(new Env(Map.of("BREAKWATER_HTTP_SERVER", " Robaho "))));
    }

    @Test
    void unsetTheProviderIsTheOneThisJvmWasStartedWith() {
        ServerProvider named = ServerProvider.ofProcess();

        assertEquals(named, AppConfig.fromEnv(Map.of()).httpServer());
        assertEquals(System.getProperty(ServerProvider.SELECTOR), className(named),
                "the test passes name their provider; unset would fall back to " + ServerProvider.DEFAULT);
    }

    @Test
    void anUnknownProviderFailsStartupNamingTheVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AppConfig.fromEnv(Map.of("BREAKWATER_HTTP_SERVER", "netty")));

        assertEquals("BREAKWATER_HTTP_SERVER must be 'jdk' or 'robaho', got 'netty'", e.getMessage());
    }

    @Test
    void theAppServesThroughTheConfiguredProvider() {
        try (TestApi api = TestApi.start()) {
            ApiResponse live = api.get("/health/live", null);

            assertEquals(200, live.status(), live.body());
            assertEquals(className(api.config().httpServer()), HttpServerProvider.provider().getClass().getName());
        }
    }

    @Test
    void askingForTheOtherProviderInTheSameProcessFailsRatherThanServingWithTheWrongOne() {
        ServerProvider serving = ServerProvider.ofProcess();
        ServerProvider other = Arrays.stream(ServerProvider.values()).filter(p -> p != serving).findFirst().orElseThrow();

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> other.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));

        assertTrue(e.getMessage().contains("one provider per process"), e.getMessage());
        assertTrue(e.getMessage().contains(className(serving)), e.getMessage());
    }

    @Test
    void theSameProviderGivesAServerOfThatImplementation() throws Exception {
        ServerProvider serving = ServerProvider.ofProcess();

        HttpServer server = serving.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        try {
            String implementationPackage = className(serving).substring(0, className(serving).lastIndexOf('.'));
            assertEquals(implementationPackage, server.getClass().getPackageName());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void stopLetsTheOpenExchangeAnswerThenClosesEverythingWithoutWaitingOutItsDeadline() throws Exception {
        // given: a request held inside its handler on this pass's provider
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpApi api = new HttpApi(request -> {
            entered.countDown();
            release.await();
            return Response.text(200, "text/plain", "finished");
        }, 1024, HttpApi.RequestObserver.NONE);
        ServerProvider serving = ServerProvider.ofProcess();
        HttpServer server = serving.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", api);
        server.start();
        int port = server.getAddress().getPort();
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<String>> held = client.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/held")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(entered.await(10, TimeUnit.SECONDS), "the request never reached its handler");

        // when: the stop begins with a deadline far away, and the held request is let go
        api.drain();
        Thread stopping = Thread.ofPlatform().start(() -> serving.stop(server, api, System.nanoTime() + TimeUnit.MINUTES.toNanos(2)));
        awaitRefused(port);
        release.countDown();

        // then: the held request got its answer, and the stop returned once it had (robaho's own stop would sleep 2 min)
        HttpResponse<String> answer = held.get(10, TimeUnit.SECONDS);
        assertEquals(200, answer.statusCode());
        assertEquals("finished", answer.body());
        assertEquals("close", answer.headers().firstValue("Connection").orElse(null));
        assertTrue(stopping.join(Duration.ofSeconds(30)), "stop still waiting 30 s after the last exchange finished");
        assertFalse(stopping.isAlive());
    }

    @Test
    void aRequestStillArrivingWhenTheStopBeginsDoesNotHoldItToItsDeadline() throws Exception {
        // given: a connection that has sent half a request line and headers, and no exchange open
        HttpApi api = new HttpApi(request -> Response.text(200, "text/plain", "never"), 1024, HttpApi.RequestObserver.NONE);
        ServerProvider serving = ServerProvider.ofProcess();
        HttpServer server = serving.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", api);
        server.start();
        try (Socket halfSent = new Socket(InetAddress.getLoopbackAddress(), server.getAddress().getPort())) {
            halfSent.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            halfSent.getOutputStream().flush();
            TimeUnit.MILLISECONDS.sleep(200); // the server has taken the connection and is reading its headers

            // when: the stop begins with a deadline far away
            Thread stopping = Thread.ofPlatform().start(() -> serving.stop(server, api, System.nanoTime() + TimeUnit.MINUTES.toNanos(2)));

            // then: it does not wait for the request to finish arriving (the JDK's own stop would
            // wait out its delay: it counts the connection as a request in progress), and closes it
            assertTrue(stopping.join(Duration.ofSeconds(15)), "stop waited more than 15 s for a request that never finished arriving");
            halfSent.setSoTimeout(10_000);
            assertEquals(-1, halfSent.getInputStream().read(), "the half-sent connection was closed without an answer");
        }
    }

    /** The listener closes as the stop begins, before the open exchange is done. */
    private static void awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                TimeUnit.MILLISECONDS.sleep(10);
            } catch (ConnectException refused) {
                return;
            } catch (IOException other) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        }
        throw new AssertionError("the listener on " + port + " still accepts 10 s after the stop began");
    }

    private static String className(ServerProvider provider) {
        return switch (provider) {
            case JDK -> "sun.net.httpserver.DefaultHttpServerProvider";
            case ROBAHO -> "robaho.net.httpserver.DefaultHttpServerProvider";
        };
    }
}
