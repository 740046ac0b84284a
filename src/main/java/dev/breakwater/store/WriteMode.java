package dev.breakwater.store;

import java.util.Locale;

/**
 * How {@link Database#write} turns transactions into durable commits. Both modes give every
 * caller its own transaction semantics (all of its work commits, or none of it) and return only
 * once the commit is on disk; they differ in how many callers share one disk flush.
 */
public enum WriteMode {
    /**
     * One writer connection commits the pending transactions of many concurrent callers
     * together, each inside its own savepoint, and flushes once per group. The default.
     */
    GROUP,
    /**
     * Each call commits and flushes on its own pooled connection: simple, and the baseline the
     * write benchmark compares against. Also the mode to use on a server database (PostgreSQL)
     * that groups commits itself.
     */
    NAIVE;

    /** {@code group} or {@code naive}, case-insensitive. */
    public static WriteMode parse(String name, String variable) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(variable + " must be 'group' or 'naive', got '" + name + "'");
        }
    }
}
