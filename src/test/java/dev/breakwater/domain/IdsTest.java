package dev.breakwater.domain;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdsTest {

    @Test
    void idIsPrefixPlusTwentyFourBase62Characters() {
        String id = Ids.next(Ids.PAYMENT);

        assertTrue(Ids.pattern(Ids.PAYMENT).matcher(id).matches(), id);
        assertTrue(Ids.matches(Ids.PAYMENT, id), id);
    }

    @Test
    void laterIdsSortAfterEarlierOnesSoIndexInsertsAppend() throws InterruptedException {
        String earlier = Ids.next(Ids.EVENT);
        Thread.sleep(2);
        String later = Ids.next(Ids.EVENT);

        assertTrue(earlier.compareTo(later) < 0, earlier + " should sort before " + later);
    }

    @Test
    void idsAreUniqueWhenManyShareAMillisecond() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(Ids.next(Ids.PAYMENT));
        }

        assertEquals(10_000, ids.size());
    }

    @Test
    void randomPartUsesTheWholeAlphabet() {
        // A truncated draw (say, only digits, or bytes mapped onto part of the alphabet) would leave
        // characters unused. Bias is not measured here.
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 2_000; i++) {
            String id = Ids.next(Ids.CUSTOMER);
            for (char c : id.substring(Ids.CUSTOMER.length() + 8).toCharArray()) {
                seen.add(c);
            }
        }

        assertEquals(62, seen.size());
    }

    @Test
    void timePartIsTheCreationMillisecondInBase62() {
        long before = System.currentTimeMillis();
        String id = Ids.next(Ids.REFUND);
        long after = System.currentTimeMillis();

        long millis = 0;
        for (char c : id.substring(Ids.REFUND.length(), Ids.REFUND.length() + 8).toCharArray()) {
            millis = millis * 62 + "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".indexOf(c);
        }
        assertTrue(millis >= before && millis <= after, "decoded " + millis + " outside [" + before + ", " + after + "]");
    }
}
