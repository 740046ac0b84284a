package dev.breakwater.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.holdFor;
import static io.gatling.javaapi.core.CoreDsl.reachRps;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Scenario 1: one account storms {@code POST /v1/payments} far above its write quota while the
 * sandbox processor fails, loses answers and times out. Storm clients retry every timeout, 409,
 * 429 and 5xx at once with the same Idempotency-Key, ignoring Retry-After.
 * <pre>./mvnw -B -Pload test-compile gatling:test -Dgatling.simulationClass=dev.breakwater.load.RetryStormSimulation -Dstorm.wiring=after</pre>
 */
public class RetryStormSimulation extends Simulation {
    private final StormLoad load = new StormLoad();

    {
        ScenarioBuilder storm = scenario("storm account")
                .during(load.length).on(load.order("storm", StormServer.STORM_KEY, StormLoad.STORM));
        setUp(storm.injectOpen(atOnceUsers(load.stormUsers))
                .throttle(reachRps(load.stormRps).in(1), holdFor(load.maxDuration())))
                .protocols(load.protocol())
                .maxDuration(load.maxDuration());
    }

    @Override
    public void before() {
        load.startServer();
    }

    @Override
    public void after() {
        load.verifyAndStop("storm");
    }
}
