package dev.breakwater.observability;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrTest {

    @Test
    void rangeContainsExactlyTheAddressesUnderItsPrefix() throws Exception {
        Cidr net = Cidr.parse("10.1.0.0/16");

        assertTrue(net.contains(InetAddress.getByName("10.1.255.7")));
        assertFalse(net.contains(InetAddress.getByName("10.2.0.1")));
        assertFalse(net.contains(InetAddress.getByName("::1")), "IPv6 is never inside an IPv4 range");
        assertTrue(Cidr.parse("192.168.1.128/25").contains(InetAddress.getByName("192.168.1.200")));
        assertFalse(Cidr.parse("192.168.1.128/25").contains(InetAddress.getByName("192.168.1.127")));
    }

    @Test
    void bareAddressIsASingleHostAndZeroPrefixIsEverything() throws Exception {
        assertTrue(Cidr.parse("::1").contains(InetAddress.getByName("::1")));
        assertFalse(Cidr.parse("127.0.0.1").contains(InetAddress.getByName("127.0.0.2")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("203.0.113.9")));
    }

    @Test
    void defaultAllowsLoopbackOnly() throws Exception {
        assertTrue(allowedByDefault(InetAddress.getByName("127.0.0.1")));
        assertTrue(allowedByDefault(InetAddress.getByName("127.8.9.10")));
        assertTrue(allowedByDefault(InetAddress.getByName("::1")));
        assertFalse(allowedByDefault(InetAddress.getByName("10.0.0.1")));
    }

    private static boolean allowedByDefault(InetAddress address) {
        return ObservabilityConfig.DEFAULTS.metricsAllow().stream().anyMatch(c -> c.contains(address));
    }

    @Test
    void hostNamesAndBadPrefixesAreRejectedAtStartup() {
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("prometheus.internal"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.parse("10.0.0.0/x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ObservabilityConfig.fromEnv(Map.of("BREAKWATER_METRICS_ALLOW", "localhost")));
        assertTrue(e.getMessage().startsWith("BREAKWATER_METRICS_ALLOW"), e.getMessage());
    }

    @Test
    void configIsReadFromTheEnvironment() {
        ObservabilityConfig config = ObservabilityConfig.fromEnv(Map.of(
                "BREAKWATER_METRICS_ALLOW", "10.0.0.0/8, 192.0.2.10", "BREAKWATER_ACCESS_LOG", "off"));

        assertEquals(List.of("10.0.0.0/8", "192.0.2.10/32"), config.metricsAllow().stream().map(Cidr::toString).toList());
        assertFalse(config.accessLog());
        assertEquals(List.of(), ObservabilityConfig.fromEnv(Map.of("BREAKWATER_METRICS_ALLOW", "none")).metricsAllow());
        assertThrows(IllegalArgumentException.class, () -> ObservabilityConfig.fromEnv(Map.of("BREAKWATER_ACCESS_LOG", "file")));
    }
}
