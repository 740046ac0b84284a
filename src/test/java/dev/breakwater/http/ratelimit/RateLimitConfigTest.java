package dev.breakwater.http.ratelimit;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RateLimitConfigTest {

    @Test
    void emptyEnvironmentGivesTheDocumentedDefaults() {
        RateLimitConfig config = RateLimitConfig.fromEnv(Map.of());

        assertEquals(RateLimitConfig.DEFAULTS, config);
        assertEquals("\"writes\";q=100;w=1", config.writes().headerMember());
        assertEquals(150, config.shedding().readLimit());
        assertEquals(200, config.shedding().writeLimit());
    }

    @Test
    void everyLimitCanBeSetFromTheEnvironment() {
        RateLimitConfig config = RateLimitConfig.fromEnv(Map.of(
                "BREAKWATER_RATELIMIT_WRITES_QUOTA", "25",
                "BREAKWATER_RATELIMIT_WRITES_WINDOW_SECONDS", "2",
                "BREAKWATER_RATELIMIT_READS_QUOTA", "50",
                "BREAKWATER_RATELIMIT_AUTH_FAILURES_QUOTA", "5",
                "BREAKWATER_RATELIMIT_AUTH_FAILURES_WINDOW_SECONDS", "300",
                "BREAKWATER_RATELIMIT_MAX_IN_FLIGHT", "4",
                "BREAKWATER_SHED_CAPACITY", "10",
                "BREAKWATER_SHED_READS_PERCENT", "50",
                "BREAKWATER_SHED_WRITES_PERCENT", "70"));

        assertEquals(new RatePolicy("writes", 25, 2), config.writes());
        assertEquals(new RatePolicy("reads", 50, 1), config.reads());
        assertEquals(new RatePolicy("auth-failures", 5, 300), config.authFailures());
        assertEquals(4, config.maxInFlightPerAccount());
        assertEquals(5, config.shedding().readLimit());
        assertEquals(7, config.shedding().writeLimit());
        assertEquals(10, config.shedding().capacity());
    }

    @Test
    void badValuesFailNamingTheVariable() {
        IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
                () -> RateLimitConfig.fromEnv(Map.of("BREAKWATER_RATELIMIT_READS_QUOTA", "lots")));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> RateLimitConfig.fromEnv(Map.of("BREAKWATER_RATELIMIT_WRITES_QUOTA", "0")));
        IllegalArgumentException inverted = assertThrows(IllegalArgumentException.class,
                () -> RateLimitConfig.fromEnv(Map.of("BREAKWATER_SHED_READS_PERCENT", "90")));

        assertTrue(notNumber.getMessage().contains("BREAKWATER_RATELIMIT_READS_QUOTA"), notNumber.getMessage());
        assertTrue(zero.getMessage().contains("BREAKWATER_RATELIMIT_WRITES_QUOTA"), zero.getMessage());
        assertTrue(inverted.getMessage().contains("BREAKWATER_SHED_READS_PERCENT"), inverted.getMessage());
    }
}
