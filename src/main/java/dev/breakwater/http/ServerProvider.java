package dev.breakwater.http;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.spi.HttpServerProvider;
import dev.breakwater.common.Env;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;

/**
 * Which implementation of the standard {@code com.sun.net.httpserver} API serves: the JDK's own,
 * or robaho's drop-in (the figures that chose the default are in docs/performance.md). The code
 * sees only the standard API, so this enum is the whole difference between the two.
 *
 * <p>The JDK picks one provider per process, at the first server, from the system property
 * {@value #SELECTOR} (else the first one on the class path, which is robaho's once its jar is
 * there). {@link #create} sets that property, so the choice is explicit, and fails loudly if this
 * process already serves with the other one rather than quietly serving with the wrong one.
 */
public enum ServerProvider {
    /** The JDK's built-in server ({@code jdk.httpserver}). */
    JDK("sun.net.httpserver.DefaultHttpServerProvider", "sun.net.httpserver"),
    /** {@code io.github.robaho:httpserver}: the same API, written for virtual threads. */
    ROBAHO("robaho.net.httpserver.DefaultHttpServerProvider", "robaho.net.httpserver");

    public static final String VARIABLE = "BREAKWATER_HTTP_SERVER";
    /** The JDK's own selector of the provider, read once per process. */
    public static final String SELECTOR = "com.sun.net.httpserver.HttpServerProvider";
    public static final ServerProvider DEFAULT = JDK;
    /** Seconds a request may take to arrive, and a response to leave: the slowloris guard. */
    static final String MAX_REQUEST_SECONDS = "30";
    static final String MAX_RESPONSE_SECONDS = "60";
    /** How long the JDK's own stop may take to notice it is idle before the connections are closed for it. */
    private static final Duration SETTLE = Duration.ofSeconds(1);

    private final String providerClass;
    private final String optionPrefix;

    ServerProvider(String providerClass, String optionPrefix) {
        this.providerClass = providerClass;
        this.optionPrefix = optionPrefix;
    }

    /** {@value #VARIABLE}: {@code jdk} or {@code robaho}, case-insensitive; unset: {@link #ofProcess}. */
    public static ServerProvider fromEnv(Env e) {
        String name = e.string(VARIABLE, null);
        if (name == null) {
            return ofProcess();
        }
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(VARIABLE + " must be 'jdk' or 'robaho', got '" + name + "'");
        }
    }

    /**
     * The provider this process was told to use the JDK's way ({@code -D}{@value #SELECTOR}),
     * else {@link #DEFAULT}: an operator's (or the test run's) explicit JVM choice is the default.
     */
    public static ServerProvider ofProcess() {
        String selected = System.getProperty(SELECTOR);
        for (ServerProvider provider : values()) {
            if (provider.providerClass.equals(selected)) {
                return provider;
            }
        }
        return DEFAULT;
    }

    /** A server of this provider, bound, not started. */
    public HttpServer create(InetSocketAddress address, int backlog) throws IOException {
        select();
        return HttpServer.create(address, backlog);
    }

    /**
     * Stops {@code server}, which serves {@code api}: no new connections from now, the exchanges
     * open now finish (until {@code deadlineNanos}), then every connection closes, a request still
     * arriving on one included. Returns as soon as that is done, not at the deadline.
     *
     * <p>Neither provider's own {@code stop(delay)} does that. robaho's closes the listener, then
     * sleeps its whole delay whether or not an exchange is open. The JDK's returns once its count
     * of exchanges reaches zero, but it also waits for every connection that has begun sending a
     * request, and when such a connection ends without one (its client gave up, or the slowloris
     * guard closed it) nothing wakes the stop: it waits out the whole delay
     * (ServerProviderTest). So each is asked for the full delay on a thread of its own (the
     * listener closes at once), the wait is on Breakwater's own count of open exchanges, and a
     * second {@code stop(0)} closes the connections. The JDK's is first given {@link #SETTLE} to
     * return by itself, as it does when nothing is arriving.
     */
    public void stop(HttpServer server, HttpApi api, long deadlineNanos) {
        int delaySeconds = (int) Math.max(0, Duration.ofNanos(deadlineNanos - System.nanoTime()).toSeconds());
        Thread stopping = Thread.ofVirtual().name("http-stop").start(() -> server.stop(delaySeconds)); // a daemon: it never holds the JVM
        try {
            api.awaitIdle(deadlineNanos);
            if (this == JDK) {
                stopping.join(SETTLE);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // asked to hurry: close now
        }
        if (stopping.isAlive()) {
            server.stop(0);
        }
    }

    private void select() {
        // Each provider reads its options once, at its first server, under its own names.
        // TCP_NODELAY avoids a ~40 ms Nagle stall on two-write responses.
        setIfAbsent(optionPrefix + ".nodelay", "true");
        setIfAbsent(optionPrefix + ".maxReqTime", MAX_REQUEST_SECONDS);
        setIfAbsent(optionPrefix + ".maxRspTime", MAX_RESPONSE_SECONDS);
        setIfAbsent(SELECTOR, providerClass);
        String serving = HttpServerProvider.provider().getClass().getName();
        if (!serving.equals(providerClass)) {
            throw new IllegalStateException("this process already serves HTTP with " + serving + " (" + SELECTOR
                    + "); it cannot also serve with " + name().toLowerCase(Locale.ROOT) + ": one provider per process");
        }
    }

    private static void setIfAbsent(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }
}
