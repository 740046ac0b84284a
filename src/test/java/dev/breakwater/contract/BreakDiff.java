package dev.breakwater.contract;

import org.openapitools.openapidiff.core.OpenApiCompare;
import org.openapitools.openapidiff.core.compare.OpenApiDiffOptions;
import org.openapitools.openapidiff.core.model.BackwardIncompatibleProp;
import org.openapitools.openapidiff.core.model.Changed;
import org.openapitools.openapidiff.core.model.ChangedOpenApi;
import org.openapitools.openapidiff.core.model.ChangedOperation;
import org.openapitools.openapidiff.core.model.ChangedRequestBody;
import org.openapitools.openapidiff.core.model.ChangedSchema;
import org.openapitools.openapidiff.core.model.ComposedChanged;
import org.openapitools.openapidiff.core.output.ConsoleRender;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The break diff: is NEW a backward-compatible successor of OLD? openapi-diff-core compares the
 * two documents and judges endpoints, parameters, request bodies, responses, headers, media types
 * and security; {@link CompatibilityRules} judges schemas, where the library is wrong both ways
 * (it misses removed optional response fields and changed request types, and calls widening a
 * request type or removing a request pattern breaking). A break found by either is a break.
 * Used by the build (BreakingChangeGateTest, against openapi/published/v1.yaml) and by humans:
 * {@code ./run.sh break-diff OLD NEW}.
 */
public final class BreakDiff {
    public static final int EXIT_COMPATIBLE = 0;
    public static final int EXIT_BREAKING = 1;
    public static final int EXIT_USAGE = 2;

    /** The outcome: the library's verdict and report, and the extra rules' findings. */
    public record Result(String oldName, String newName, ChangedOpenApi library, String libraryReport,
                         List<String> libraryBreaks, List<CompatibilityRules.Finding> ruleFindings) {

        /** What openapi-diff-core alone says, schemas included (for comparison; not the gate's verdict). */
        public boolean libraryAloneFindsBreak() {
            return library.isIncompatible();
        }

        public boolean breaking() {
            return !libraryBreaks.isEmpty() || !ruleFindings.isEmpty();
        }

        public String verdict() {
            String detail = libraryBreaks.size() + " from openapi-diff-core, " + ruleFindings.size()
                    + " from Breakwater's rules";
            return breaking()
                    ? "BREAKING: " + newName + " is not backward compatible with " + oldName + " (" + detail + ")"
                    : "COMPATIBLE: " + newName + " is backward compatible with " + oldName + " (" + detail + ")";
        }

        public String render() {
            StringBuilder out = new StringBuilder();
            out.append("Break diff ").append(oldName).append(" -> ").append(newName).append('\n');
            out.append("\n== openapi-diff-core report ==\n").append(libraryReport.strip()).append('\n');
            out.append("\n== Breaks counted from openapi-diff-core (all but schemas) ==\n");
            if (libraryBreaks.isEmpty()) {
                out.append("none\n");
            }
            libraryBreaks.forEach(b -> out.append("- ").append(b).append('\n'));
            out.append("\n== Breaks found by Breakwater's rules (docs/contract.md) ==\n");
            if (ruleFindings.isEmpty()) {
                out.append("none\n");
            }
            ruleFindings.forEach(f -> out.append("- ").append(f).append('\n'));
            out.append("\n").append(verdict()).append('\n');
            return out.toString();
        }
    }

    private BreakDiff() {
    }

    public static Result compare(Path oldSpec, Path newSpec) {
        return compare(oldSpec.toString(), read(oldSpec), newSpec.toString(), read(newSpec));
    }

    /**
     * An openapi-diff-core check outside schemas that gets the direction wrong: it calls a response
     * header becoming required breaking. Turned off; {@link CompatibilityRules} checks the real break
     * (a header becoming optional).
     */
    static final List<BackwardIncompatibleProp> WRONG_WAY_ROUND = List.of(
            BackwardIncompatibleProp.RESPONSE_HEADER_REQUIRED_INCREASED);

    public static Result compare(String oldName, String oldYaml, String newName, String newYaml) {
        OpenApiDiffOptions.Builder options = OpenApiDiffOptions.builder();
        WRONG_WAY_ROUND.forEach(prop -> options.configProperty(prop.getPropertyName(), "false"));
        ChangedOpenApi diff = OpenApiCompare.fromContents(oldYaml, newYaml, null, options.build());
        List<CompatibilityRules.Finding> findings = CompatibilityRules.check(SpecDocument.parse(oldYaml),
                SpecDocument.parse(newYaml));
        return new Result(oldName, newName, diff, consoleReport(diff), libraryBreaks(diff), findings);
    }

    /** The library's incompatible changes outside schemas, each named by where it is. */
    static List<String> libraryBreaks(ChangedOpenApi diff) {
        Set<String> out = new LinkedHashSet<>();
        if (diff.isCoreChanged().isIncompatible()) {
            diff.getMissingEndpoints().forEach(e -> out.add("endpoint removed: " + e.getMethod() + " " + e.getPathUrl()));
        }
        for (ChangedOperation operation : diff.getChangedOperations()) {
            walk(operation, operation.getHttpMethod() + " " + operation.getPathUrl(), out);
        }
        return new ArrayList<>(out);
    }

    private static void walk(Changed changed, String where, Set<String> out) {
        if (changed == null || changed instanceof ChangedSchema) {
            return;
        }
        String what = changed.getClass().getSimpleName().replaceFirst("^Changed", "");
        if (changed instanceof ComposedChanged composed) {
            // ChangedRequestBody calls any change of `required` breaking, a body becoming optional too
            // (and only the endpoints-decreased switch turns that off): CompatibilityRules judges it.
            boolean judgedByRules = changed instanceof ChangedRequestBody;
            if (!judgedByRules && composed.isCoreChanged().isIncompatible()) {
                out.add(where + ": incompatible " + what + " change");
            }
            for (Changed child : composed.getChangedElements()) {
                walk(child, where, out);
            }
        } else if (changed.isIncompatible()) {
            out.add(where + ": incompatible " + what + " change");
        }
    }

    private static String consoleReport(ChangedOpenApi diff) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStreamWriter writer = new OutputStreamWriter(bytes, StandardCharsets.UTF_8)) {
            new ConsoleRender().render(diff, writer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** {@code BreakDiff OLD NEW}: prints the diff; exit 0 compatible, 1 breaking, 2 usage error. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: ./run.sh break-diff OLD.yaml NEW.yaml");
            System.exit(EXIT_USAGE);
        }
        for (String arg : args) {
            if (!Files.isRegularFile(Path.of(arg))) {
                System.err.println("break-diff: no such file: " + arg);
                System.exit(EXIT_USAGE);
            }
        }
        Result result = compare(Path.of(args[0]), Path.of(args[1]));
        System.out.print(result.render());
        System.exit(result.breaking() ? EXIT_BREAKING : EXIT_COMPATIBLE);
    }
}
