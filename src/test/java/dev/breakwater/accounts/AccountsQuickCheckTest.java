package dev.breakwater.accounts;

import dev.breakwater.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cheap "may this key be valid?" check the bad-key limiter relies on. */
class AccountsQuickCheckTest {

    @Test
    void everyRegisteredKeyMayBeValidAlsoAfterARestartThatDoesNotConfigureIt(@TempDir Path dir) {
        String sandbox = Accounts.newSecret();
        try (Database database = Database.open(dir, 4)) {
            new Accounts(database, Clock.systemUTC()).register("acct_sandbox", sandbox);
        }
        // A restart without the key in the configuration (the printed sandbox key is shown once).
        try (Database database = Database.open(dir, 4)) {
            Accounts accounts = new Accounts(database, Clock.systemUTC());
            accounts.loadKeys();

            assertTrue(accounts.mayBeValid(sandbox));
            assertFalse(accounts.mayBeValid(sandbox + "x"));
            assertFalse(accounts.mayBeValid("sk_test_guess_0000000000000"));
        }
    }

    @Test
    void aKeyStoredBeforeQuickChecksExistedGetsOneAtItsFirstSuccessfulAuthentication(@TempDir Path dir) throws Exception {
        String old = "sk_test_from_before_quick_checks_0001";
        try (Database database = Database.open(dir, 4)) {
            new Accounts(database, Clock.systemUTC()).register("acct_old", old);
            try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE api_keys SET quick_check = NULL");
            }
        }
        try (Database database = Database.open(dir, 4)) {
            Accounts accounts = new Accounts(database, Clock.systemUTC());
            accounts.loadKeys();
            assertFalse(accounts.mayBeValid(old), "nothing known about the key yet");

            assertEquals("acct_old", accounts.authenticate(old).orElseThrow());

            assertTrue(accounts.mayBeValid(old));
        }
        try (Database database = Database.open(dir, 4)) {
            Accounts accounts = new Accounts(database, Clock.systemUTC());
            accounts.loadKeys();
            assertTrue(accounts.mayBeValid(old), "the check was stored, not only remembered");
        }
    }

    @Test
    void randomGuessesAlmostNeverPassTheCheck(@TempDir Path dir) {
        try (Database database = Database.open(dir, 4)) {
            Accounts accounts = new Accounts(database, Clock.systemUTC());
            for (int i = 0; i < 20; i++) {
                accounts.register("acct_" + i, Accounts.newSecret());
            }
            int passed = 0;
            for (int i = 0; i < 100_000; i++) {
                if (accounts.mayBeValid(Accounts.newSecret())) {
                    passed++;
                }
            }
            assertEquals(0, passed, "64-bit checks: 20 keys, 100,000 guesses");
        }
    }
}
