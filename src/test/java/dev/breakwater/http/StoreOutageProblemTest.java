package dev.breakwater.http;

import dev.breakwater.http.problem.ProblemException;
import dev.breakwater.http.problem.ProblemType;
import dev.breakwater.store.StoreException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A store that cannot be reached (PostgreSQL restarting) is a 503 with Retry-After, any other store failure a 500. */
class StoreOutageProblemTest {

    @Test
    void lostConnectionIsTemporaryReducedCapacityWithRetryAfter() {
        for (SQLException outage : new SQLException[]{
                new SQLException("An I/O error occurred while sending to the backend.", "08006"),
                new SQLException("terminating connection due to administrator command", "57P01"),
                new SQLException("the database system is starting up", "57P03"),
                new SQLTransientConnectionException("breakwater - Connection is not available, request timed out after 3000ms")}) {
            ProblemException problem = Problems.toProblem(new StoreException(outage));

            assertEquals(ProblemType.TEMPORARY_REDUCED_CAPACITY, problem.type(), outage.getMessage());
            assertEquals(503, problem.type().status());
            assertEquals("1", problem.headers().get("Retry-After"));
        }
    }

    @Test
    void otherStoreFailuresStayInternalErrors() {
        assertNull(Problems.toProblem(new StoreException(new SQLException("value too long", "22001"))),
                "not mapped: the outer boundary logs it and answers 500");
    }
}
