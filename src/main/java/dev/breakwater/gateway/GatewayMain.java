package dev.breakwater.gateway;

/** {@code ./run.sh processor}: reads the gateway's configuration from the environment and serves until stopped. */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) {
        GatewayConfig config;
        try {
            config = GatewayConfig.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("breakwater processor: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        Gateway.Running running = Gateway.start(config, System.out);
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "shutdown"));
        System.out.println("Processor gateway listening on grpc://" + config.bindAddress() + ":" + running.grpcPort()
                + " and http://" + config.bindAddress() + ":" + running.httpPort()
                + " (ledger in " + config.dataDir().toAbsolutePath().normalize() + ")");
    }
}
