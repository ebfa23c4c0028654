package dev.rotor.store.azurepostgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.engine.Step;
import dev.rotor.engine.StepHook;
import dev.rotor.store.postgres.EmbeddedServer;
import dev.rotor.testing.RotorRunner;
import dev.rotor.testing.TestCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MindWell runbook's step 1 through the CLI: validate, plan, and a rotation into a files target. */
class AzurePostgresCliTest {
    @TempDir
    Path dir;

    @Test
    void validateReportsEverySettingAndOwnerRuleAtItsPositionAndTemplatesWaitForPlan() throws Exception {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                environments:
                  dev: { vars: { sub: "ffffffff-ffff-ffff-ffff-ffffffffffff" } }
                stores:
                  keys: { type: files, directory: keys }
                  bad: { type: azure-postgres-flexible, subscription: not-a-guid, resource-group: "rg.", server: Pg_Flex,
                         management-url: "http://management.azure.com", port: 70000, sslmode: strict,
                         operation-timeout: soon, password: "x" }
                  later: { type: azure-postgres-flexible, subscription: "${vars.sub}", resource-group: rg-mindwell-dev,
                           server: "pgflex-mindwell-${env}" }
                  partial: { type: azure-postgres-flexible, server: pgflex-mindwell-dev }
                secrets:
                  postgres-admin-password:
                    generate: { type: password, length: 32 }
                    owner: { store: later }
                    targets:
                      - { store: keys, name: postgres-admin-password }
                """);
        RotorRunner.Result r = RotorRunner.run(Map.of(), "validate", "-m", file.toString());
        assertEquals(2, r.exit(), r.all());
        List<String> errors = r.err().lines().filter(l -> l.contains(": error: "))
                .map(l -> l.substring(l.indexOf(':') + 1)).toList();
        String docs = " (see docs/azure-postgres-flexible.md)";
        assertEquals(List.of(
                "6:55: error: stores.bad.subscription: 'subscription' must be a subscription id (a GUID such as "
                        + "00000000-0000-0000-0000-000000000000)" + docs,
                "6:83: error: stores.bad.resource-group: 'resource-group' must be 1 to 90 letters, digits, '_', '-', "
                        + "'.', '(' or ')', not ending in '.'" + docs,
                "6:98: error: stores.bad.server: 'server' must be a flexible server name: 3 to 63 lowercase letters, "
                        + "digits and hyphens, not starting or ending with a hyphen" + docs,
                "7:26: error: stores.bad.management-url: 'management-url' must be an https URL such as "
                        + "https://management.azure.com" + docs,
                "7:63: error: stores.bad.port: 'port' must be a number from 1 to 65535" + docs,
                "7:79: error: stores.bad.sslmode: 'sslmode' must be one of disable, allow, prefer, require, "
                        + "verify-ca, verify-full (Azure requires TLS: require or verify-full)" + docs,
                "8:29: error: stores.bad.operation-timeout: 'operation-timeout' must be a positive duration: "
                        + "a number with ms, s, m, h, d or w (90d, 12h, 30m, 45s, 500ms, 2w), or ISO-8601 (P90D, PT12H)"
                        + docs,
                "8:35: error: stores.bad.password: unknown key 'password' (valid azure-postgres-flexible settings: "
                        + "ca-bundle, database, host, management-url, operation-timeout, port, resource-group, server, "
                        + "sslmode, subscription)"),
                errors.subList(0, 8), r.err());
        assertTrue(r.err().contains("stores.partial"), r.err());
        assertTrue(r.err().contains("secrets.postgres-admin-password.owner"), r.err());
    }

    @Test
    void planSaysTheOldPasswordStopsWorkingAndARotationChangesTheServerAndTheFileWithoutPrintingIt() throws Exception {
        EmbeddedServer postgres = EmbeddedServer.get();
        postgres.role(ArmDouble.ADMIN, "cli-initial-Rt55");
        try (ArmDouble arm = new ArmDouble(postgres, 0)) {
            Files.writeString(dir.resolve("rotation.yml"), """
                    version: 1
                    environments:
                      dev: { vars: { rg: rg-mindwell-dev, server: pgflex-mindwell-dev } }
                    stores:
                      keys: { type: files, directory: keys }
                      pgserver: { type: azure-postgres-flexible, subscription: %s, resource-group: "${vars.rg}",
                                  server: "${vars.server}", management-url: "%s", ca-bundle: "%s",
                                  host: localhost, port: %d, sslmode: disable }
                    secrets:
                      postgres-admin-password:
                        generate: { type: password, length: 32 }
                        owner: { store: pgserver, user: mindwelladmin }
                        strategy: single-user
                        targets:
                          - { store: keys, name: "postgres-admin-password-${env}" }
                    """.formatted(ArmDouble.SUBSCRIPTION, arm.url(), TestCertificate.get().pem(), postgres.port()));
            String manifest = dir.resolve("rotation.yml").toString();
            Map<String, String> env = arm.environment();

            RotorRunner.Result plan = RotorRunner.run(env, "plan", "-m", manifest);
            assertEquals(0, plan.exit(), plan.all());
            assertEquals(List.of(
                    "postgres-admin-password (dev): generate -> owner pgserver -> 1 target, 0 checks; journal "
                            + "keys:.rotor/journal/postgres-admin-password.dev.json",
                    "  would write keys:postgres-admin-password-dev",
                    "  owner pgserver: single credential: once pgflex-mindwell-dev accepts the new password, new "
                            + "connections with the old one are refused until every target holds the new one"),
                    plan.out().lines().filter(l -> !l.startsWith("summary")).toList(), plan.out());
            arm.wireMock().verify(0, patchRequestedFor(urlPathEqualTo(ArmDouble.SERVER_PATH)));

            StepHook crashAfterOwner = (unit, step) -> {
                if (step == Step.OWNER) {
                    throw new RotorRunner.Crash("owner");
                }
            };
            assertThrows(RotorRunner.Crash.class, () -> RotorRunner.run(env, Clock.systemUTC(), crashAfterOwner,
                    "rotate", "-m", manifest, "--run-id", "r1"));
            String pending = new ObjectMapper().readTree(dir.resolve("keys/.rotor/journal/"
                    + "postgres-admin-password.dev.json").toFile()).get("pending").asText();
            assertTrue(postgres.loginWorks(ArmDouble.ADMIN, pending), "the server took it before the crash");

            RotorRunner.Result resumed = RotorRunner.run(env, "rotate", "-m", manifest, "--run-id", "r1");
            assertEquals(0, resumed.exit(), resumed.all());
            assertEquals(pending, Files.readString(dir.resolve("keys/postgres-admin-password-dev")));
            assertTrue(postgres.loginWorks(ArmDouble.ADMIN, pending));
            assertFalse(postgres.loginWorks(ArmDouble.ADMIN, "cli-initial-Rt55"));
            // The journal recorded the owner step before the crash, so the resumed run does not PATCH again.
            arm.wireMock().verify(1, patchRequestedFor(urlPathEqualTo(ArmDouble.SERVER_PATH)));

            for (RotorRunner.Result result : List.of(plan, resumed)) {
                assertFalse(result.all().contains(pending), "no value in any output");
                assertFalse(result.all().contains(ArmDouble.ACCESS_TOKEN), "no token in any output");
                assertFalse(result.all().contains(ArmDouble.CLIENT_SECRET), "no client secret in any output");
            }
        }
    }
}
