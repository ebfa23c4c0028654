package dev.rotor.manifest;

import dev.rotor.engine.Vocabularies;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestLoaderTest {
    private static final Path FULL = Fakes.manifests().resolve("valid/full.yml");

    @Test
    void loadsTheModelInManifestOrderWithDefaults() throws ManifestException {
        Manifest m = Fakes.LOADER.read(FULL, Map.of());
        assertEquals(1, m.version());
        assertEquals(List.of("dev", "prod"), List.copyOf(m.environments().keySet()));
        assertEquals(Map.of("server", "pg-prod", "host", "${vars.server}.example.org", "replicas", "3"),
                m.environments().get("prod").vars());
        assertEquals(List.of("local", "gh", "pg"), List.copyOf(m.stores().keySet()));
        assertEquals("github", m.stores().get("gh").type());
        assertEquals(Map.of("repository", "acme/app", "token", "${env:GH_TOKEN}"), m.stores().get("gh").settings());
        assertEquals(List.of("db-password", "jwt-key"), List.copyOf(m.secrets().keySet()));

        SecretSpec db = m.secrets().get("db-password");
        assertEquals("password", db.generate().type());
        assertEquals(Map.of("length", 32), db.generate().options());
        assertEquals(Duration.ofDays(90), db.maxAge());
        assertEquals("pg", db.owner().store());
        assertEquals(Map.of("user", "app"), db.owner().options());
        assertEquals("single-user", db.strategy());
        assertEquals("local", db.journal(), "defaults to the first target on a readable store with a pending slot");
        assertEquals(4, db.targets().size());
        TargetSpec scoped = db.targets().get(3);
        assertEquals(new TargetSpec("gh", "DB_PASSWORD", null, null, Map.of("environment", "${env}"), scoped.location()), scoped);
        assertEquals(25, scoped.location().line());
        assertNull(db.targets().get(0).value());
        assertTrue(db.targets().get(1).value().contains("${secret.url}"));

        assertEquals(2, db.verify().size());
        CheckSpec http = db.verify().get(0);
        assertEquals("http", http.type());
        assertEquals("https://app-${env}.example.org/healthz", http.options().get("http"), "options keep the type's key");
        assertEquals(200, http.options().get("expect"));
        CheckSpec command = db.verify().get(1);
        assertEquals("command", command.type());
        assertEquals(List.of("./migrate", "--check"), command.options().get("command"));

        SecretSpec jwt = m.secrets().get("jwt-key");
        assertEquals(Duration.ofDays(30), jwt.maxAge());
        assertNull(jwt.owner());
        assertEquals("single-user", jwt.strategy());
        assertEquals(List.of(), jwt.verify());
        assertEquals(List.of(), m.warnings());
    }

    @Test
    void environmentsForNamesOneOrAll() throws ManifestException {
        Manifest m = Fakes.LOADER.read(FULL, Map.of());
        assertEquals(List.of("dev", "prod"), m.environmentsFor(null).stream().map(EnvironmentSpec::name).toList());
        assertEquals(List.of("prod"), m.environmentsFor("prod").stream().map(EnvironmentSpec::name).toList());
        Manifest minimal = Fakes.LOADER.read(Fakes.manifests().resolve("valid/minimal.yml"), Map.of());
        assertEquals(List.of(EnvironmentSpec.NONE), minimal.environmentsFor(null));
    }

    @Test
    void anExplicitJournalNeedNotBeATarget() throws ManifestException {
        Manifest m = Fakes.LOADER.read(Fakes.manifests().resolve("valid/vault-journal.yml"), Map.of());
        assertEquals("kv", m.secrets().get("oauth-client-secret").journal());
        assertEquals(Map.of(), m.environments().get("staging").vars());
    }

    @Test
    void inGitHubActionsAJournalOnTheRunnersDiskIsAWarning() throws ManifestException {
        Manifest m = Fakes.LOADER.read(FULL, Map.of("GITHUB_ACTIONS", "true"));
        assertEquals(1, m.warnings().size(), "one warning per journal store, not per secret");
        Problem local = m.warnings().get(0);
        assertTrue(local.warning());
        assertEquals("stores.local", local.key());
        assertTrue(local.message().contains("store 'local' (type files) is the journal of 2 secrets (db-password, jwt-key)"
                + " and is on the runner's disk"), local.message());
        assertTrue(local.format().contains(": warning: "));
        Manifest durable = Fakes.LOADER.read(Fakes.manifests().resolve("valid/vault-journal.yml"),
                Map.of("GITHUB_ACTIONS", "true"));
        assertEquals(List.of(), durable.warnings());
    }

    @Test
    void aMissingFileIsAProblemAtLineZero(@TempDir Path dir) {
        Path missing = dir.resolve("rotation.yml");
        ManifestException e = assertThrows(ManifestException.class, () -> Vocabularies.load(missing, Map.of()));
        assertEquals(1, e.problems().size());
        assertEquals(new Location(missing, 0, 0), e.problems().get(0).location());
        assertTrue(e.getMessage().contains("manifest not found"));
    }

    @Test
    void aDirectoryIsAProblemNotAnIOException(@TempDir Path dir) {
        ManifestException e = assertThrows(ManifestException.class, () -> Vocabularies.load(dir, Map.of()));
        assertEquals(0, e.problems().get(0).location().line());
    }

    @Test
    void targetNamesRenderedFromProcessVariablesAreCheckedWhenSet() {
        String text = """
                version: 1
                stores:
                  local: { type: files, directory: /tmp/r }
                  gh: { type: github, repository: acme/app }
                secrets:
                  a:
                    generate: { type: uuid }
                    targets:
                      - { store: local, name: a }
                      - { store: gh, name: "${env:PREFIX}_A" }
                """;
        assertTrue(parses(text, Map.of()), "an unset variable is only known at run time");
        assertTrue(parses(text, Map.of("PREFIX", "APP")));
        ManifestException e = assertThrows(ManifestException.class,
                () -> Fakes.LOADER.parse(Path.of("m.yml"), text, Map.of("PREFIX", "app")));
        assertTrue(e.getMessage().contains("target name 'app_A' is not valid for store 'gh'"), e.getMessage());
    }

    @Test
    void duplicateTargetsAcrossSecretsAreFoundPerEnvironment() {
        String text = """
                version: 1
                environments:
                  dev: { vars: { a: one, b: two } }
                  prod: { vars: { a: same, b: same } }
                stores:
                  local: { type: files, directory: /tmp/r }
                secrets:
                  first:
                    generate: { type: uuid }
                    targets: [ { store: local, name: "${vars.a}" } ]
                  second:
                    generate: { type: uuid }
                    targets: [ { store: local, name: "${vars.b}" } ]
                """;
        ManifestException e = assertThrows(ManifestException.class,
                () -> Fakes.LOADER.parse(Path.of("m.yml"), text, Map.of()));
        assertEquals(1, e.problems().size());
        assertEquals("m.yml:13:16: error: secrets.second.targets[0]: duplicate target: store 'local' name 'same' is also "
                        + "written by secrets.first.targets[0] in environment 'prod' (remove one of them, or give them different names)",
                e.problems().get(0).format());
    }

    @Test
    void credentialsMustBeEnvironmentReferencesAndAreNeverEchoed() {
        String text = """
                version: 1
                stores:
                  local: { type: files, directory: /tmp/r }
                  pg: { type: postgres, host: db, admin-password: "Hunter2-literal" }
                  gh: { type: github, repository: a/b, token: "Bearer ${env:GH}" }
                secrets:
                  a:
                    generate: { type: uuid }
                    owner: { store: pg, user: app }
                    targets: [ { store: local, name: a } ]
                """;
        ManifestException e = assertThrows(ManifestException.class,
                () -> Fakes.LOADER.parse(Path.of("m.yml"), text, Map.of()));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertEquals("stores.pg.admin-password", e.problems().get(0).key());
        assertTrue(e.problems().get(0).suggestion().contains("${env:ADMIN_PASSWORD}"));
        assertEquals("stores.gh.token", e.problems().get(1).key());
        assertFalse(e.getMessage().contains("Hunter2"), "a literal credential is never echoed");
    }

    @Test
    void onlyTheKeysATypeDeclaresAreCredentials() throws ManifestException {
        Fakes.FakeType kubernetes = new Fakes.FakeType("kubernetes", Set.of("namespace", "secret", "token"), Set.of(),
                Set.of(), Set.of(), true, false, false, false, Set.of("token"), name -> null);
        List<StoreType> types = List.of(Fakes.FILES, kubernetes);
        String named = """
                version: 1
                stores:
                  local: { type: files, directory: /tmp/r }
                  k8s: { type: kubernetes, namespace: app, secret: jwt-keys, token: "${env:KUBE_TOKEN}" }
                secrets:
                  a:
                    generate: { type: uuid }
                    targets: [ { store: local, name: a }, { store: k8s, name: active-key } ]
                """;
        assertEquals(1, new ManifestLoader(Fakes.vocabulary(types)).parse(Path.of("m.yml"), named, Map.of())
                .secrets().size(), "'secret:' names a Secret resource: no credential");
        ManifestException e = assertThrows(ManifestException.class, () -> new ManifestLoader(Fakes.vocabulary(types))
                .parse(Path.of("m.yml"), named.replace("\"${env:KUBE_TOKEN}\"", "eyJ-literal"), Map.of()));
        assertEquals(List.of("m.yml:4:69: error: stores.k8s.token: 'token' holds a credential and must not be written "
                + "in the manifest (reference an environment variable: 'token: ${env:TOKEN}')"),
                e.problems().stream().map(Problem::format).toList());
    }

    @Test
    void aUtf8ByteOrderMarkAndCommentsAreFine(@TempDir Path dir) throws IOException, ManifestException {
        Path file = dir.resolve("rotation.yml");
        Files.writeString(file, "\uFEFF# rotation\n" + Files.readString(Fakes.manifests().resolve("valid/minimal.yml")));
        assertEquals(1, Fakes.LOADER.read(file, Map.of()).secrets().size());
    }

    @Test
    void emptySettingsAndScopesAreMissingValues() {
        String text = """
                version: 1
                stores:
                  local: { type: files, directory: }
                  gh: { type: github, repository: a/b }
                secrets:
                  a:
                    generate: { type: uuid }
                    journal: local
                    targets: [ { store: gh, name: A, environment: } ]
                """;
        ManifestException e = assertThrows(ManifestException.class,
                () -> Fakes.LOADER.parse(Path.of("m.yml"), text, Map.of()));
        assertEquals(List.of("stores.local.directory", "secrets.a.targets[0].environment"),
                e.problems().stream().map(Problem::key).toList(), e.getMessage());
    }

    private static boolean parses(String text, Map<String, String> env) {
        try {
            Fakes.LOADER.parse(Path.of("m.yml"), text, env);
            return true;
        } catch (ManifestException e) {
            return false;
        }
    }
}
