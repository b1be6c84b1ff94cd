import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class against the fixture gateway (GatewayServer.fixtureGateway): started before its tests, stopped after them. */
abstract class FixtureGatewayTests {
    static GatewayServer gw;

    @BeforeAll
    static void startGateway() throws Exception {
        gw = GatewayServer.fixtureGateway();
    }

    @AfterAll
    static void stopGateway() throws Exception {
        if (gw != null) gw.close();
        gw = null;
    }
}
