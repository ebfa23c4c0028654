package dev.rotor.store.azureappservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import dev.rotor.azure.AzureDouble;
import dev.rotor.testing.RotorRunner;

/**
 * The MindWell App Service step through the CLI: the raw password and the derived DATABASE_URL as two settings with
 * {@code restart: true}, journaled in a blob. The app restarts once, after both settings were written, and every
 * other setting is kept; nothing secret reaches the output.
 */
class AppServiceRotationTest {
    private static final String RG = "rg-mindwell-dev";
    private static final String APP = "mindwell-dev-api";
    private static final String SITE = AzureDouble.sitePath(RG, APP, null);
    @TempDir
    Path dir;
    private AzureDouble azure;
    private final Map<String, String> neighbours = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        azure = new AzureDouble();
        azure.container("rotor-state");
        for (int i = 1; i <= 10; i++) {
            neighbours.put("SETTING_" + i, "kept " + i);
        }
        Map<String, String> settings = new LinkedHashMap<>(neighbours);
        settings.put("POSTGRES_ADMIN_PASSWORD", "password-before-rotor");
        azure.app(RG, APP, null, settings, List.of("SETTING_1"));
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                environments:
                  dev: { vars: { rg: rg-mindwell-dev, server: pgflex-mindwell-dev } }
                stores:
                  web: { type: azure-app-service, subscription: "%s", resource-group: "${vars.rg}", app: "mindwell-${env}-api",
                         management-url: "%s", ca-bundle: "%s", restart-timeout: 5s }
                  state: { type: azure-blob, url: "%s", container: rotor-state, prefix: mindwell, ca-bundle: "%s" }
                secrets:
                  postgres-admin-password:
                    generate: { type: password, length: 32 }
                    journal: state
                    targets:
                      - { store: web, name: POSTGRES_ADMIN_PASSWORD, restart: true }
                      - { store: web, name: DATABASE_URL, restart: true,
                          value: "postgresql+asyncpg://mindwelladmin:${secret.url}@${vars.server}.postgres.database.azure.com:5432/mindwell_app?sslmode=require" }
                """.formatted(AzureDouble.SUBSCRIPTION, azure.url(), AzureDouble.caBundle(), azure.blobUrl(),
                AzureDouble.caBundle()));
    }

    @AfterEach
    void stop() {
        azure.close();
    }

    @Test
    void bothSettingsAreWrittenTheAppRestartsOnceAfterThemAndTheJournalIsInTheBlob() throws Exception {
        Map<String, String> env = new HashMap<>(azure.env());
        env.put("GITHUB_ACTIONS", "true");
        RotorRunner.Result result = RotorRunner.run(env, "rotate", "-e", "dev", "--run-id", "r1", "-m",
                dir.resolve("rotation.yml").toString());
        assertEquals(0, result.exit(), result.all());

        Map<String, String> settings = azure.settings(RG, APP, null);
        String password = settings.get("POSTGRES_ADMIN_PASSWORD");
        assertEquals(32, password.length());
        assertEquals("postgresql+asyncpg://mindwelladmin:" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                .replace("+", "%20") + "@pgflex-mindwell-dev.postgres.database.azure.com:5432/mindwell_app?sslmode=require",
                settings.get("DATABASE_URL"));
        Map<String, String> kept = new LinkedHashMap<>(settings);
        kept.remove("POSTGRES_ADMIN_PASSWORD");
        kept.remove("DATABASE_URL");
        assertEquals(neighbours, kept);

        List<LoggedRequest> restarts = azure.requests("POST", SITE + "/restart");
        assertEquals(1, restarts.size(), "one restart for two settings");
        List<LoggedRequest> puts = azure.requests("PUT", SITE + "/config/appsettings");
        assertEquals(2, puts.size());
        assertTrue(!restarts.get(0).getLoggedDate().before(puts.get(1).getLoggedDate()), "restarted after the last write");

        JsonNode journal = new ObjectMapper().readTree(azure.blob("rotor-state",
                "mindwell/.rotor/journal/postgres-admin-password.dev.json").orElseThrow().content());
        assertEquals(password, journal.path("current").asText());
        assertEquals("password-before-rotor", journal.path("previous").asText(), "the first rotation adopted the old value");
        assertFalse(result.all().contains("runner's disk"), result.all());
        assertTrue(result.out().contains("::add-mask::" + password), "masked first");
        String unmasked = String.join("\n", result.all().lines().filter(l -> !l.startsWith("::add-mask::")).toList());
        assertFalse(unmasked.contains(password), "no value outside the mask announcements (which include DATABASE_URL's)");
        assertFalse(result.all().contains(AzureDouble.CLIENT_SECRET) || result.all().contains(AzureDouble.TOKEN));
        assertTrue(result.err().contains("store 'web' (azure-app-service): restarting mindwell-dev-api for "
                + "POSTGRES_ADMIN_PASSWORD, DATABASE_URL"), result.err());
    }
}
