package dev.breakwater.domain;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How a status enum is spelled on the wire and in the store: its constant's name in lowercase ({@code requires_capture}). */
public final class WireNames {
    private WireNames() {
    }

    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    public static <E extends Enum<E>> Optional<E> parse(E[] values, String wire) {
        return Arrays.stream(values).filter(value -> of(value).equals(wire)).findFirst();
    }

    /** The wire names, sorted and comma-separated, for a 400's hint. */
    public static String list(Enum<?>[] values) {
        return String.join(", ", Arrays.stream(values).map(WireNames::of).sorted().toList());
    }
}
