package dev.breakwater.domain;

import java.util.Set;
import java.util.regex.Pattern;

/** The supported currencies: lowercase ISO 4217 codes. Amounts are integers in the currency's minor unit. */
public final class Currencies {
    public static final Set<String> SUPPORTED = Set.of("usd", "eur", "gbp", "jpy", "cad", "aud", "chf", "sek", "nok", "dkk");
    public static final Pattern FORMAT = Pattern.compile("^[a-z]{3}$");
    public static final String FORMAT_HINT = "must be a lowercase three-letter ISO 4217 code such as usd";

    private Currencies() {
    }

    public static String supportedList() {
        return String.join(", ", SUPPORTED.stream().sorted().toList());
    }
}
