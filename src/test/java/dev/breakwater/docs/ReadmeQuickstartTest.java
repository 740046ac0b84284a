package dev.breakwater.docs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.breakwater.App;
import dev.breakwater.AppConfig;
import dev.breakwater.common.Json;
import dev.breakwater.observability.ExternalTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the README's "Quickstart with curl" block as printed, against the real server started the
 * way a new user starts it (empty data directory, no configured keys, so it prints a sandbox key),
 * with a PATH that holds only curl and the Debian-essential tools the block uses: no
 * {@code uuidgen} (package uuid-runtime, absent from a fresh Debian). The only edits are the two
 * a reader makes: the printed key replaces the placeholder, and the test's port replaces 8080.
 */
class ReadmeQuickstartTest {
    private static final Path README = Path.of("README.md");
    private static final String KEY_PLACEHOLDER = "sk_test_...";
    /** Debian's Essential packages (coreutils, sed, grep) always have these; uuidgen is not among them. */
    private static final List<String> ESSENTIAL_TOOLS = List.of("cat", "sed", "grep", "head", "tail", "tr", "cut", "env");
    private static final Pattern PRINTED_KEY = Pattern.compile("Its secret key \\(shown once, store it now\\): (sk_test_\\S+)");

    @Test
    void quickstartRunsAsPrintedWithoutUuidgen(@TempDir Path work) throws Exception {
        ExternalTool curl = ExternalTool.require("curl", "curl");
        String block = quickstartBlock(Files.readString(README));
        assertTrue(block.contains("export KEY=" + KEY_PLACEHOLDER), "the quickstart no longer starts from the printed key");
        assertFalse(block.lines().filter(l -> !l.strip().startsWith("#")).anyMatch(l -> l.contains("uuidgen")), "the quickstart calls uuidgen, which a fresh Debian lacks (uuid-runtime)");

        // given the server as first started: no keys configured, so it prints a sandbox key
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        App.Seams seams = new App.Seams(Clock.systemUTC(), UnaryOperator.identity(),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        try (App.Running app = App.start(AppConfig.defaults(work.resolve("data")), seams)) {
            Matcher printed = PRINTED_KEY.matcher(console.toString(StandardCharsets.UTF_8));
            assertTrue(printed.find(), "no sandbox key printed at first start: " + console);
            String key = printed.group(1);
            String script = block.replace(KEY_PLACEHOLDER, key).replace("localhost:8080", "localhost:" + app.port());

            // when the block runs in bash with a PATH that has no uuidgen
            Path bin = toolsWithout("uuidgen", work.resolve("bin"), curl.path());
            String output = runBash(script, bin, work);

            // then every step did what its comment says
            assertFalse(output.contains("/problems/"), "a step was answered with a problem:\n" + output);
            assertTrue(output.contains("\"object\":\"customer\"") && output.contains("\"email\":\"jenny@example.com\""),
                    "customer not created:\n" + output);
            Matcher payment = Pattern.compile("(?m)^(pay_[0-9A-Za-z]+)$").matcher(output);
            assertTrue(payment.find(), "the payment id was not echoed:\n" + output);
            assertTrue(Pattern.compile("(?mi)^Idempotent-Replayed: true\\r?$").matcher(output).find(),
                    "the retry was not a replay:\n" + output);
            assertTrue(output.contains("\"object\":\"refund\""), "refund not created:\n" + output);
            assertTrue(Pattern.compile("(?m)^HTTP/1.1 200").matcher(output).find(), "the event feed did not answer 200:\n" + output);
            assertTrue(Pattern.compile("(?mi)^Link: <[^>]+>; rel=\"next\"").matcher(output).find(),
                    "the event feed has no next link:\n" + output);

            // and the server holds exactly what the quickstart promised: one payment, 1500 captured, 500 refunded
            JsonNode stored = get(app, key, "/v1/payments/" + payment.group(1));
            assertEquals(2000, stored.path("amount").asLong(), stored.toString());
            assertEquals(1500, stored.path("amount_captured").asLong(), stored.toString());
            assertEquals(500, stored.path("amount_refunded").asLong(), stored.toString());
            assertEquals(1, get(app, key, "/v1/payments").path("data").size(), "the replay charged twice");
            assertEquals(1, get(app, key, "/v1/customers").path("data").size());
        }
    }

    /** The first {@code ```sh} block under the "Quickstart with curl" heading. */
    static String quickstartBlock(String readme) {
        int heading = readme.indexOf("## Quickstart with curl");
        assertTrue(heading >= 0, "README has no quickstart section");
        int start = readme.indexOf("```sh\n", heading);
        int end = readme.indexOf("\n```", start + 1);
        assertTrue(start > 0 && end > start, "the quickstart section has no sh block");
        return readme.substring(start + "```sh\n".length(), end + 1);
    }

    private static Path toolsWithout(String absent, Path bin, Path curl) throws Exception {
        Files.createDirectories(bin);
        Files.createSymbolicLink(bin.resolve("curl"), curl);
        for (String tool : ESSENTIAL_TOOLS) {
            for (String dir : List.of("/usr/bin", "/bin")) {
                Path candidate = Path.of(dir, tool);
                if (Files.isExecutable(candidate) && !Files.exists(bin.resolve(tool))) {
                    Files.createSymbolicLink(bin.resolve(tool), candidate);
                }
            }
        }
        assertFalse(Files.exists(bin.resolve(absent)));
        return bin;
    }

    private static String runBash(String script, Path bin, Path work) throws Exception {
        Path file = work.resolve("quickstart.sh");
        Files.writeString(file, script);
        Path output = work.resolve("quickstart.out");
        ProcessBuilder builder = new ProcessBuilder(bash(), "--noprofile", "--norc", file.toString())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", bin.toString());
        builder.environment().put("HOME", work.toString());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the quickstart did not finish within 60 s:\n" + Files.readString(output));
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "the quickstart failed:\n" + text);
        assertFalse(text.contains("command not found"), "the quickstart needs a tool a fresh machine lacks:\n" + text);
        return text;
    }

    private static String bash() {
        for (String candidate : List.of("/bin/bash", "/usr/bin/bash")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new AssertionError("no bash");
    }

    private static JsonNode get(App.Running app, String key, String path) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + path)).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return Json.parse(response.body());
    }
}
