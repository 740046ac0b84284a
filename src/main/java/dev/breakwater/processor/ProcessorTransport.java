package dev.breakwater.processor;

import java.net.URI;
import java.util.Locale;

/**
 * How the edge reaches its processor, chosen by {@code BREAKWATER_PROCESSOR_URL}: no URL is the
 * in-process sandbox, {@code http(s)://} the HTTP/JSON client, {@code grpc://} the gRPC client.
 * Its {@link #label()} tags the processor-call metrics and JFR events.
 */
public enum ProcessorTransport {
    SANDBOX, HTTP, GRPC;

    public static ProcessorTransport of(URI processorUrl) {
        if (processorUrl == null) {
            return SANDBOX;
        }
        String scheme = processorUrl.getScheme() == null ? "" : processorUrl.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "http", "https" -> HTTP;
            case "grpc" -> GRPC;
            default -> throw new IllegalArgumentException("processor URL scheme must be http, https or grpc, got '"
                    + processorUrl + "'");
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
