package dev.breakwater.load;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.holdFor;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.reachRps;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * Scenario 2: the storming account of {@link RetryStormSimulation} and a well-behaved account
 * share the node. The polite account places orders back to back with a short think time, within
 * its quota, honouring Retry-After with jittered backoff; its throughput and latency show whether
 * the storm spills over onto it.
 * <pre>./mvnw -B -Pload test-compile gatling:test -Dgatling.simulationClass=dev.breakwater.load.MixedTrafficSimulation -Dstorm.wiring=after</pre>
 */
public class MixedTrafficSimulation extends Simulation {
    private final StormLoad load = new StormLoad();

    {
        ScenarioBuilder storm = scenario("storm account")
                .during(load.length).on(load.order("storm", StormServer.STORM_KEY, StormLoad.STORM));
        ScenarioBuilder polite = scenario("polite account")
                .during(load.length).on(load.order("polite", StormServer.POLITE_KEY, StormLoad.POLITE)
                        .exec(pause(load.politeThink)));
        setUp(storm.injectOpen(atOnceUsers(load.stormUsers))
                        .throttle(reachRps(load.stormRps).in(1), holdFor(load.maxDuration())),
                polite.injectOpen(atOnceUsers(load.politeUsers)))
                .protocols(load.protocol())
                .maxDuration(load.maxDuration());
    }

    @Override
    public void before() {
        load.startServer();
    }

    @Override
    public void after() {
        load.verifyAndStop("mixed");
    }
}
