package dev.breakwater.processor;

import dev.breakwater.processor.grpc.DeclineCode;

import java.util.Locale;

/**
 * Decline codes between the port's strings (what clients see as {@code decline_code}) and the
 * contract's {@link DeclineCode} enum: the enum name in lower case. A string the enum does not
 * know travels as {@code GENERIC_DECLINE}: the contract names every reason it promises.
 */
public final class DeclineCodes {
    private DeclineCodes() {
    }

    public static DeclineCode toProto(String code) {
        if (code == null) {
            return DeclineCode.GENERIC_DECLINE;
        }
        try {
            DeclineCode proto = DeclineCode.valueOf(code.toUpperCase(Locale.ROOT));
            return proto == DeclineCode.DECLINE_CODE_UNSPECIFIED || proto == DeclineCode.UNRECOGNIZED
                    ? DeclineCode.GENERIC_DECLINE : proto;
        } catch (IllegalArgumentException unknown) {
            return DeclineCode.GENERIC_DECLINE;
        }
    }

    /** Unspecified or unrecognized (a newer gateway's code) reads as {@code generic_decline}. */
    public static String fromProto(DeclineCode code) {
        return code == DeclineCode.DECLINE_CODE_UNSPECIFIED || code == DeclineCode.UNRECOGNIZED
                ? "generic_decline" : code.name().toLowerCase(Locale.ROOT);
    }
}
