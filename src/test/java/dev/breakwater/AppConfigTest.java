package dev.breakwater;

import dev.breakwater.common.Env;
import dev.breakwater.gateway.GatewayConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's configuration table and the code that reads the environment say the same thing. */
class AppConfigTest {
    /** A table row: | `NAME` | default | meaning |, the default either `literal` or free text for "none". */
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Z0-9_]+)` \\| ([^|]+) \\|");

    @Test
    void theReadmeTableListsEveryVariableTheServerReadsWithItsRealDefault() throws IOException {
        Env env = new Env(Map.of());
        AppConfig.fromEnv(env);

        assertTableMatches(env, readmeTable("| Variable | Default |"), "AppConfig.fromEnv");
    }

    @Test
    void theReadmeGatewayTableListsEveryVariableTheGatewayReadsWithItsRealDefault() throws IOException {
        Env env = new Env(Map.of());
        GatewayConfig.fromEnv(env);

        assertTableMatches(env, readmeTable("| Gateway variable | Default |"), "GatewayConfig.fromEnv");
    }

    private static void assertTableMatches(Env env, Map<String, String> documented, String reader) {
        assertEquals(env.defaults().keySet(), documented.keySet(),
                "variables read by " + reader + " vs rows in its README.md configuration table");
        env.defaults().forEach((name, fallback) -> {
            String cell = documented.get(name);
            if (fallback == null) {
                assertFalse(cell.startsWith("`"), name + " has no default, but README shows one: " + cell);
            } else {
                assertEquals("`" + fallback + "`", cell, name + ": README's default vs the code's");
            }
        });
    }

    @Test
    void defaultsFromAnEmptyEnvironmentAreTheNamedConstants() {
        AppConfig config = AppConfig.fromEnv(Map.of());

        assertEquals(AppConfig.DEFAULT_PORT, config.port());
        assertEquals(AppConfig.DEFAULT_BIND, config.bindAddress());
        assertEquals(AppConfig.DEFAULT_WRITE_MODE, config.writeMode());
        assertEquals(AppConfig.DEFAULT_PROCESSOR_TIMEOUT, config.processorTimeout());
        assertNull(config.processorUrl());
    }

    @Test
    void aBadValueFailsStartupNamingItsVariable() {
        IllegalArgumentException notANumber = assertThrows(IllegalArgumentException.class,
                () -> AppConfig.fromEnv(Map.of("BREAKWATER_DB_POOL", "many")));
        IllegalArgumentException notAProbability = assertThrows(IllegalArgumentException.class,
                () -> AppConfig.fromEnv(Map.of("BREAKWATER_SANDBOX_ERROR_RATE", "1.5")));
        IllegalArgumentException notAUrl = assertThrows(IllegalArgumentException.class,
                () -> AppConfig.fromEnv(Map.of("BREAKWATER_PROCESSOR_URL", "processor")));

        assertTrue(notANumber.getMessage().startsWith("BREAKWATER_DB_POOL must be an integer"), notANumber.getMessage());
        assertTrue(notAProbability.getMessage().startsWith("BREAKWATER_SANDBOX_ERROR_RATE must be a probability"),
                notAProbability.getMessage());
        assertTrue(notAUrl.getMessage().startsWith("BREAKWATER_PROCESSOR_URL must be an absolute URL"), notAUrl.getMessage());
    }

    /** The README table whose header row starts with {@code header}. */
    private static Map<String, String> readmeTable(String header) throws IOException {
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(Path.of("README.md"))) {
            if (line.startsWith(header)) {
                inTable = true;
                continue;
            }
            if (inTable && !line.startsWith("|")) {
                break;
            }
            Matcher row = ROW.matcher(line);
            if (inTable && row.find()) {
                rows.put(row.group(1), row.group(2).strip());
            }
        }
        return rows;
    }
}
