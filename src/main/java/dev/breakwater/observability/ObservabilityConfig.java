package dev.breakwater.observability;

import dev.breakwater.common.Env;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How observability is exposed: which client addresses may read {@code /metrics} and
 * {@code /dashboard} ({@code BREAKWATER_METRICS_ALLOW}), and whether the access log is written
 * ({@code BREAKWATER_ACCESS_LOG}).
 */
public record ObservabilityConfig(List<Cidr> metricsAllow, boolean accessLog) {
    /** Loopback only: a scraper or an operator on the host (or an SSH tunnel) can read it, nobody else. */
    public static final String DEFAULT_METRICS_ALLOW = "127.0.0.0/8,::1/128";
    public static final ObservabilityConfig DEFAULTS = new ObservabilityConfig(Cidr.parseList(DEFAULT_METRICS_ALLOW), true);

    public ObservabilityConfig {
        metricsAllow = List.copyOf(metricsAllow);
    }

    public static ObservabilityConfig fromEnv(Map<String, String> env) {
        return fromEnv(new Env(env));
    }

    public static ObservabilityConfig fromEnv(Env env) {
        String allow = env.string("BREAKWATER_METRICS_ALLOW", DEFAULT_METRICS_ALLOW);
        List<Cidr> ranges;
        try {
            ranges = Cidr.parseList(allow);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("BREAKWATER_METRICS_ALLOW must be comma-separated IP addresses or CIDR ranges"
                    + " (or 'none'): " + e.getMessage());
        }
        String log = env.string("BREAKWATER_ACCESS_LOG", "stdout").toLowerCase(Locale.ROOT);
        boolean accessLog = switch (log) {
            case "stdout" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("BREAKWATER_ACCESS_LOG must be 'stdout' or 'off', got '" + log + "'");
        };
        return new ObservabilityConfig(ranges, accessLog);
    }

    public ObservabilityConfig withMetricsAllow(String ranges) {
        return new ObservabilityConfig(Cidr.parseList(ranges), accessLog);
    }

}
