package dev.breakwater.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.spi.HttpServerProvider;
import dev.breakwater.AppConfig;
import dev.breakwater.common.Env;
import dev.breakwater.support.ApiResponse;
import dev.breakwater.support.TestApi;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private static String className(ServerProvider provider) {
        return switch (provider) {
            case JDK -> "sun.net.httpserver.DefaultHttpServerProvider";
            case ROBAHO -> "robaho.net.httpserver.DefaultHttpServerProvider";
        };
    }
}
