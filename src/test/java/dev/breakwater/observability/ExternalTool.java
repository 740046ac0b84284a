package dev.breakwater.observability;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A program from Debian's packages that a test drives (promtool, chromium). Missing on a
 * developer machine: the test is skipped. Missing where {@code CI} is set: the test fails,
 * because CI installs it and a silent skip there would hide a broken check.
 */
public record ExternalTool(Path path) {

    public static ExternalTool require(String debianPackage, String... names) {
        for (String name : names) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return new ExternalTool(candidate);
                }
            }
        }
        String message = String.join(" or ", names) + " is not on PATH (apt-get install -y " + debianPackage + ")";
        if (System.getenv("CI") != null) {
            fail(message + "; CI must install it");
        }
        Assumptions.abort(message + "; skipped outside CI");
        throw new AssertionError("unreachable");
    }

    record Result(int exitCode, String output) {
    }

    /** Runs the tool with a time limit, returning its exit code and combined stdout and stderr. */
    Result run(Path workingDir, long timeoutSeconds, List<String> args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(path.toString());
        command.addAll(args);
        Path output = Files.createTempFile("tool-output", ".txt");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(workingDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail(path.getFileName() + " did not finish within " + timeoutSeconds + " s: " + Files.readString(output));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
