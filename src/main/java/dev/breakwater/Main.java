package dev.breakwater;

import java.util.Locale;

/** Reads the configuration from the environment and starts the server until the process is stopped. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        AppConfig config;
        try {
            config = AppConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("breakwater: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        App.Running running = App.start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "shutdown"));
        System.out.println("Breakwater listening on http://" + config.bindAddress() + ":" + running.port()
                + " (data in " + config.dataDir().toAbsolutePath().normalize()
                + "; HTTP server: " + config.httpServer().name().toLowerCase(Locale.ROOT) + ")");
    }
}
