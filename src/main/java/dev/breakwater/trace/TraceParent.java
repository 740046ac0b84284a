package dev.breakwater.trace;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One W3C {@code traceparent} (Trace Context, level 1): {@code 00-<trace-id>-<parent-id>-<flags>},
 * lower-case hex, neither id all zeros. A later version's header is read by its first four
 * fields, as the recommendation asks; version {@code ff} and anything malformed are rejected.
 */
public record TraceParent(String traceId, String parentId, String flags) {
    public static final String HEADER = "traceparent";
    private static final Pattern FORMAT =
            Pattern.compile("([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?");
    private static final String ZERO_TRACE = "0".repeat(32);
    private static final String ZERO_PARENT = "0".repeat(16);
    private static final HexFormat HEX = HexFormat.of();

    public static Optional<TraceParent> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = FORMAT.matcher(header.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        String version = m.group(1);
        boolean exact = m.group(5) == null;
        if (version.equals("ff") || (version.equals("00") && !exact)
                || m.group(2).equals(ZERO_TRACE) || m.group(3).equals(ZERO_PARENT)) {
            return Optional.empty();
        }
        return Optional.of(new TraceParent(m.group(2), m.group(3), m.group(4)));
    }

    /** A new trace, sampled (flags {@code 01}): this request is its root. */
    public static TraceParent start() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String traceId;
        do {
            traceId = HEX.toHexDigits(random.nextLong()) + HEX.toHexDigits(random.nextLong());
        } while (traceId.equals(ZERO_TRACE));
        return new TraceParent(traceId, newParentId(), "01");
    }

    /** The header for an outgoing call made on behalf of this one: same trace, a new span id. */
    public TraceParent child() {
        return new TraceParent(traceId, newParentId(), flags);
    }

    public String header() {
        return "00-" + traceId + "-" + parentId + "-" + flags;
    }

    private static String newParentId() {
        String id;
        do {
            id = HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
        } while (id.equals(ZERO_PARENT));
        return id;
    }
}
