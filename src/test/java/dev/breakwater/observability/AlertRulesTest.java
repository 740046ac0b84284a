package dev.breakwater.observability;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs Prometheus' own promtool (Debian package {@code prometheus}) over dashboards/: the rules
 * are valid, their unit tests pass (the storm alert fires on a storm-shaped series, before the
 * pool saturates, and stays silent on normal traffic), and every Grafana panel query parses.
 */
class AlertRulesTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void alertRulesAreValidPrometheusRules() throws Exception {
        ExternalTool promtool = ExternalTool.require("prometheus", "promtool");

        ExternalTool.Result result = promtool.run(ROOT, 60, List.of("check", "rules", "dashboards/alerts.yaml"));

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS"), result.output());
    }

    @Test
    void stormAlertFiresOnAStormBeforeSaturationAndStaysSilentOnNormalTraffic() throws Exception {
        ExternalTool promtool = ExternalTool.require("prometheus", "promtool");

        ExternalTool.Result result = promtool.run(ROOT, 120, List.of("test", "rules", "dashboards/alerts.test.yaml"));

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS"), result.output());
    }

    @Test
    void everyGrafanaPanelQueryIsValidPromQl(@TempDir Path dir) throws Exception {
        ExternalTool promtool = ExternalTool.require("prometheus", "promtool");
        // promtool parses PromQL inside rule files: wrap each panel query in a recording rule.
        StringBuilder rules = new StringBuilder("groups:\n  - name: grafana-panels\n    rules:\n");
        List<String> expressions = PromQl.dashboardExpressions();
        for (int i = 0; i < expressions.size(); i++) {
            String expr = expressions.get(i).replace("$__rate_interval", "1m");
            rules.append("      - record: panel:query").append(i).append('\n')
                    .append("        expr: '").append(expr.replace("'", "''")).append("'\n");
        }
        Path file = dir.resolve("panels.yaml");
        Files.writeString(file, rules);

        ExternalTool.Result result = promtool.run(ROOT, 60, List.of("check", "rules", file.toString()));

        assertEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("SUCCESS: " + expressions.size() + " rules found"), result.output());
    }
}
