package dev.rotor.store.azureappservice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.rotor.testing.RotorRunner;

/** `rotor validate` reports azure-app-service and azure-blob rules at file:line:col, before any request. */
class AppServiceValidateTest {
    @TempDir
    Path dir;

    @Test
    void everySettingAndTargetRuleIsReportedAtItsPositionAndTemplatesWaitForPlan() throws Exception {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, """
                version: 1
                environments:
                  dev: { vars: { rg: rg-mindwell-dev } }
                stores:
                  web: { type: azure-app-service, subscription: mindwell-sub, resource-group: "rg.", app: "-api" }
                  later: { type: azure-app-service, subscription: "${env:SUB}", resource-group: "${vars.rg}", app: a1, restart-wait: poll }
                  blob: { type: azure-blob, account: MindWell, container: "Journal_1" }
                  both: { type: azure-blob, account: mindwell, url: "http://x.blob.core.windows.net", container: rotor }
                secrets:
                  db-password:
                    generate: { type: password, length: 32 }
                    journal: blob
                    targets:
                      - { store: later, name: "DATABASE URL", restart: yes-please }
                      - { store: blob, name: "keys/" }
                """);
        RotorRunner.Result r = RotorRunner.run(Map.of(), "validate", "-m", file.toString());
        assertEquals(2, r.exit(), r.all());
        List<String> errors = r.err().lines().filter(l -> l.contains(": error: "))
                .map(l -> l.substring(l.indexOf(':') + 1)).toList();
        String app = " (see docs/azure-app-service.md for the settings of an azure-app-service store)";
        String blob = " (see docs/azure-blob.md for the settings of an azure-blob store)";
        assertEquals(List.of(
                "5:49: error: stores.web.subscription: subscription must be a subscription id (a GUID such as "
                        + "00000000-0000-0000-0000-000000000000), not its name" + app,
                "5:79: error: stores.web.resource-group: resource-group 'rg.' is not a resource group name (1-90 letters, "
                        + "digits, - _ . ( ), not ending in a period)" + app,
                "5:91: error: stores.web.app: app '-api' is not an App Service name (2-60 letters, digits and hyphens)" + app,
                "6:118: error: stores.later.restart-wait: restart-wait must be host (the app's state, then an answer from "
                        + "its host name) or state (the app's state only, for an app on a private endpoint)" + app,
                "7:38: error: stores.blob.account: account 'MindWell' is not a storage account name (3-24 lowercase "
                        + "letters and digits)" + blob,
                "7:59: error: stores.blob.container: container 'Journal_1' is not a container name (3-63 lowercase "
                        + "letters, digits and single hyphens)" + blob,
                "8:53: error: stores.both.url: set either account or url, not both" + blob,
                "14:31: error: secrets.db-password.targets[0].name: target name 'DATABASE URL' is not valid for store "
                        + "'later' (type azure-app-service) in environment 'dev': an application setting name is letters, "
                        + "digits, underscores, periods and hyphens (e.g. DATABASE_URL)",
                "14:56: error: secrets.db-password.targets[0].restart: restart must be true or false (true: restart the "
                        + "app once its settings hold the new value) (see docs/azure-app-service.md)",
                "15:30: error: secrets.db-password.targets[1].name: target name 'keys/' is not valid for store 'blob' "
                        + "(type azure-blob) in environment 'dev': blob name 'keys/' has an empty segment, a backslash or "
                        + "a trailing period or slash"),
                errors, r.err());
    }
}
