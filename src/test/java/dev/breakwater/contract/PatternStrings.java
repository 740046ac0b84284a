package dev.breakwater.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Strings matching the simple regular expressions this spec uses (anchored sequences of literals
 * and character classes with {@code {n}}, {@code {a,b}}, {@code +}, {@code *} or {@code ?}, e.g.
 * {@code ^cus_[0-9A-Za-z]{24}$} or {@code ^[^@\s]+@[^@\s]+$}). Anything else (alternation,
 * groups) returns null and the caller falls back to the schema's examples. Every result is checked
 * against the pattern itself, so a parsing slip costs a fallback, never a wrong "valid" value.
 */
final class PatternStrings {
    private static final String PRINTABLE;

    static {
        StringBuilder ascii = new StringBuilder();
        for (char c = 0x21; c < 0x7F; c++) {
            ascii.append(c);
        }
        PRINTABLE = ascii.toString();
    }

    private PatternStrings() {
    }

    private record Atom(String alphabet, int min, int max) {
    }

    static String generate(String regex, SplittableRandom random, int minLength, int maxLength) {
        List<Atom> atoms = parse(regex);
        if (atoms == null) {
            return null;
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            StringBuilder out = new StringBuilder();
            for (Atom atom : atoms) {
                int span = Math.min(atom.max(), atom.min() + 12);
                int count = atom.min() + (span > atom.min() ? random.nextInt(span - atom.min() + 1) : 0);
                for (int i = 0; i < count; i++) {
                    out.append(atom.alphabet().charAt(random.nextInt(atom.alphabet().length())));
                }
            }
            String text = out.toString();
            if (text.length() >= minLength && text.length() <= maxLength && Pattern.compile(regex).matcher(text).matches()) {
                return text;
            }
        }
        return null;
    }

    private static List<Atom> parse(String regex) {
        String body = regex;
        if (body.startsWith("^")) {
            body = body.substring(1);
        }
        if (body.endsWith("$")) {
            body = body.substring(0, body.length() - 1);
        }
        List<Atom> atoms = new ArrayList<>();
        int i = 0;
        while (i < body.length()) {
            char c = body.charAt(i);
            String alphabet;
            if (c == '[') {
                int end = body.indexOf(']', i + 2);
                if (end < 0) {
                    return null;
                }
                alphabet = characterClass(body.substring(i + 1, end));
                i = end + 1;
            } else if ("()|.".indexOf(c) >= 0) {
                return null;
            } else if (c == '\\') {
                if (i + 1 >= body.length()) {
                    return null;
                }
                alphabet = String.valueOf(body.charAt(i + 1));
                i += 2;
            } else {
                alphabet = String.valueOf(c);
                i++;
            }
            int min = 1;
            int max = 1;
            if (i < body.length()) {
                char q = body.charAt(i);
                if (q == '{') {
                    int end = body.indexOf('}', i);
                    String[] bounds = body.substring(i + 1, end).split(",", -1);
                    min = Integer.parseInt(bounds[0]);
                    max = bounds.length == 1 ? min : bounds[1].isEmpty() ? min + 20 : Integer.parseInt(bounds[1]);
                    i = end + 1;
                } else if (q == '+') {
                    max = 20;
                    i++;
                } else if (q == '*') {
                    min = 0;
                    max = 20;
                    i++;
                } else if (q == '?') {
                    min = 0;
                    i++;
                }
            }
            if (alphabet.isEmpty()) {
                return null;
            }
            atoms.add(new Atom(alphabet, min, max));
        }
        return atoms;
    }

    /** The printable ASCII characters a {@code [...]} class admits (negation and {@code \s} included). */
    private static String characterClass(String spec) {
        boolean negated = spec.startsWith("^");
        Pattern members = Pattern.compile("[" + spec + "]");
        StringBuilder out = new StringBuilder();
        for (char c : (PRINTABLE + (negated ? "" : " ")).toCharArray()) {
            if (members.matcher(String.valueOf(c)).matches()) {
                out.append(c);
            }
        }
        return out.toString();
    }
}
