package dev.breakwater.http.ratelimit;

import java.util.regex.Pattern;

/**
 * A named request-rate quota: at most {@code quota} requests per {@code windowSeconds}, refilled
 * smoothly (one request every window/quota) rather than all at once at a window boundary.
 * The name is what clients see in {@code RateLimit-Policy} and in {@code violated-policies}.
 */
public record RatePolicy(String name, int quota, int windowSeconds) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    public RatePolicy {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("rate policy name must be 1-32 of [a-z0-9-], got '" + name + "'");
        }
        if (quota < 1) {
            throw new IllegalArgumentException("rate policy '" + name + "': quota must be at least 1, got " + quota);
        }
        if (windowSeconds < 1 || windowSeconds > 86_400) {
            throw new IllegalArgumentException("rate policy '" + name + "': window must be 1-86400 seconds, got " + windowSeconds);
        }
        if (windowSeconds * NANOS_PER_SECOND / quota < 1_000) {
            throw new IllegalArgumentException("rate policy '" + name + "': more than one request per microsecond is not a limit");
        }
    }

    /** The time one request's worth of quota takes to come back (GCRA's emission interval). */
    public long intervalNanos() {
        return windowSeconds * NANOS_PER_SECOND / quota;
    }

    /** This policy as a {@code RateLimit-Policy} list member, e.g. {@code "writes";q=25;w=1}. */
    public String headerMember() {
        return '"' + name + "\";q=" + quota + ";w=" + windowSeconds;
    }
}
