package dev.rotor.engine;

import dev.rotor.testing.MemoryOwnerProvider;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine's promises (design.md) seen through the CLI. */
class RotationBehaviourTest {
    @TempDir
    Path dir;

    @Test
    void environmentsRotateInManifestOrderEachWithItsOwnValue() {
        Fixture f = new Fixture(dir);
        RotorRunner.Result r = f.run("rotate");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().indexOf("db-password (dev)") < r.err().indexOf("db-password (prod)"));
        assertNotEquals(f.file("dev"), f.file("prod"));
        assertEquals(f.expectedUrlLine("prod", f.file("prod")), f.dotenvLine("prod"));
        assertEquals(List.of("preflight app-dev", "preflight app-prod", "accept app-dev", "test app-dev",
                "retire app-dev", "accept app-prod", "test app-prod", "retire app-prod"), MemoryOwnerProvider.CALLS,
                "every unit is planned before any is rotated; a first rotation retires whatever was set by hand");
    }

    @Test
    void environmentsGoOneAfterAnotherSoAFailureInDevKeepsProdUntouched() throws IOException {
        Fixture f = new Fixture(dir, "", "");
        Fixture.write(f.manifest, Fixture.read(f.manifest) + """
                  api-key:
                    generate: { type: uuid }
                    targets:
                      - { store: keys, name: "api-${env}.txt" }
                    verify:
                      - command: 'test "$APP_ENV" != dev'
                        env: { APP_ENV: "${env}" }
                """);
        RotorRunner.Result r = f.run("rotate");
        assertEquals(3, r.exit(), r.err());
        assertTrue(Files.exists(dir.resolve("keys/db-dev.txt")));
        assertTrue(Files.exists(dir.resolve("keys/api-dev.txt")), "written, then its verification failed");
        assertFalse(Files.exists(dir.resolve("keys/db-prod.txt")), "prod waits for every secret of dev");
        assertTrue(r.err().indexOf("db-password (dev)") < r.err().indexOf("api-key (dev)"));
    }

    @Test
    void aReRunOfASuccessfulRunWritesNothingAndANewInvocationRotatesAgain() throws IOException {
        Fixture f = new Fixture(dir);
        assertEquals(0, f.run("rotate", "-e", "dev", "--run-id", "42").exit());
        Map<String, Long> before = snapshot(dir);
        String first = f.file("dev");

        RotorRunner.Result again = f.run("rotate", "-e", "dev", "--run-id", "42");
        assertEquals(0, again.exit());
        assertTrue(again.err().contains("already rotated by run 42"), again.err());
        assertEquals(before, snapshot(dir), "promise 3: nothing written");

        f.env.put("GITHUB_RUN_ID", "43");
        assertEquals(0, f.run("rotate", "-e", "dev").exit());
        assertNotEquals(first, f.file("dev"));
        assertEquals(first, f.journalField("dev", "previous"));
    }

    @Test
    void anOwnerWithTwoCredentialsKeepsTheOldOneUntilVerificationPassed() {
        Fixture f = new Fixture(dir, ", several: true", "");
        assertEquals(0, f.run("rotate", "-e", "dev", "--run-id", "1").exit());
        String old = f.file("dev");
        StepHook bothValidUntilVerified = (unit, step) -> {
            List<String> valid = MemoryOwnerProvider.VALID.get("app-dev");
            if (step.compareTo(Step.OWNER) >= 0 && step.compareTo(Step.VERIFY) <= 0) {
                assertTrue(valid.contains(old), "old credential still valid after " + step.label());
                assertEquals(2, valid.size());
            }
        };
        assertEquals(0, f.run(bothValidUntilVerified, "rotate", "-e", "dev", "--run-id", "2").exit());
        assertEquals(List.of(f.file("dev")), MemoryOwnerProvider.VALID.get("app-dev"), "old retired at finish");
    }

    @Test
    void aFailedVerificationPromotesNothingNamesBothWaysOutAndRollbackRestores() {
        Path flag = dir.resolve("healthy");
        Fixture f = new Fixture(dir, "", "verify:\n  - command: 'test -f " + flag + "'\n");
        Fixture.write(flag, "");
        assertEquals(0, f.run("rotate", "-e", "dev", "--run-id", "1").exit());
        String good = f.file("dev");
        flag.toFile().delete();

        RotorRunner.Result failed = f.run("rotate", "-e", "dev", "--run-id", "2", "--report", dir.resolve("r.json").toString());
        assertEquals(3, failed.exit(), failed.err());
        assertTrue(failed.err().contains("rotate -m " + f.manifest + " --secret db-password --environment dev --resume --run-id 2"), failed.err());
        assertTrue(failed.err().contains("rollback -m " + f.manifest + " --secret db-password --environment dev --run-id 2"), failed.err());
        assertEquals(good, f.journalField("dev", "current"), "promise 4: nothing promoted");
        String pending = f.journalField("dev", "pending");
        assertEquals(pending, f.file("dev"));
        assertTrue(Fixture.read(dir.resolve("r.json")).contains("\"finishCommand\""));

        RotorRunner.Result rollback = f.run("rollback", "--secret", "db-password", "-e", "dev", "--run-id", "3");
        assertEquals(3, rollback.exit(), "the check still fails, so even the rollback is not verified");
        Fixture.write(flag, "");
        rollback = f.run("rollback", "--secret", "db-password", "-e", "dev", "--run-id", "4");
        assertEquals(0, rollback.exit(), rollback.err());
        assertEquals(good, f.file("dev"));
        assertEquals(f.expectedUrlLine("dev", good), f.dotenvLine("dev"));
        assertEquals(List.of(good), MemoryOwnerProvider.VALID.get("app-dev"));
        assertNull(f.journalField("dev", "pending"));
    }

    @Test
    void aFailedVerificationIsFinishedByTheRotateItNames() {
        Path flag = dir.resolve("healthy");
        Fixture f = new Fixture(dir, "", "verify:\n  - command: 'test -f " + flag + "'\n");
        assertEquals(3, f.run("rotate", "-e", "dev").exit());
        String pending = f.journalField("dev", "pending");
        Fixture.write(flag, "");
        assertEquals(0, f.run("rotate", "--secret", "db-password", "--environment", "dev").exit());
        assertEquals(pending, f.file("dev"));
        assertEquals(pending, f.journalField("dev", "current"));
    }

    @Test
    void rollbackPutsThePreviousValueBackEverywhere() {
        Fixture f = new Fixture(dir);
        assertEquals(0, f.run("rotate", "-e", "prod").exit());
        String first = f.file("prod");
        assertEquals(0, f.run("rotate", "-e", "prod").exit());
        String second = f.file("prod");
        RotorRunner.Result r = f.run("rollback", "-s", "db-password", "-e", "prod");
        assertEquals(0, r.exit(), r.err());
        assertEquals(first, f.file("prod"));
        assertEquals(f.expectedUrlLine("prod", first), f.dotenvLine("prod"));
        assertEquals(List.of(first), MemoryOwnerProvider.VALID.get("app-prod"));
        assertEquals(second, f.journalField("prod", "previous"), "a second rollback would undo the first");
    }

    @Test
    void rollbackWithoutAPreviousValueChangesNothing() {
        Fixture f = new Fixture(dir);
        RotorRunner.Result r = f.run("rollback", "-s", "db-password", "-e", "dev");
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("no previous value"), r.err());
        assertFalse(Files.exists(dir.resolve("keys/db-dev.txt")));
    }

    @Test
    void validatePlanAndDryRunWriteNothing() throws IOException {
        Fixture f = new Fixture(dir);
        assertEquals(0, f.run("rotate", "-e", "dev").exit());
        Map<String, Long> before = snapshot(dir);
        MemoryOwnerProvider.CALLS.clear();
        assertEquals(0, f.run("validate").exit());
        RotorRunner.Result plan = f.run("plan");
        assertEquals(0, plan.exit(), plan.err());
        assertTrue(plan.out().contains("db-password (prod): generate -> owner db -> 2 targets, 0 checks; journal keys:"),
                plan.out());
        assertTrue(plan.out().contains("  would write keys:db-prod.txt\n"), plan.out());
        assertTrue(plan.out().contains("  would write app-env:PROD_DATABASE_URL (derived)"), plan.out());
        assertEquals(0, f.run("rotate", "--dry-run").exit());
        assertEquals(before, snapshot(dir), "promise 7");
        assertTrue(MemoryOwnerProvider.CALLS.stream().allMatch(c -> c.startsWith("preflight")));
    }

    @Test
    void onlyDueTakesSecretsOlderThanMaxAge() {
        Fixture f = new Fixture(dir, "", "max-age: 30d\n");
        assertEquals(0, f.run("rotate", "--only-due").exit(), "never rotated: due");
        String first = f.file("dev");
        f.clock.advance(Duration.ofDays(29));
        RotorRunner.Result notDue = f.run("rotate", "--only-due");
        assertEquals(0, notDue.exit());
        assertTrue(notDue.err().contains("not due"), notDue.err());
        assertEquals(first, f.file("dev"));
        f.clock.advance(Duration.ofDays(2));
        assertEquals(0, f.run("rotate", "--only-due").exit());
        assertNotEquals(first, f.file("dev"));
        RotorRunner.Result status = f.run("status", "--format", "prometheus");
        assertTrue(status.out().contains("secret_age_days{secret=\"db-password\",environment=\"dev\"} 0.000"), status.out());
        assertTrue(status.out().contains("secret_rotation_due{secret=\"db-password\",environment=\"dev\"} 0"));
    }

    @Test
    void withoutMaxAgeASecretIsDueOnlyUntilItsFirstRotation() {
        Fixture f = new Fixture(dir);
        assertEquals(0, f.run("rotate", "--only-due", "-e", "dev").exit());
        String first = f.file("dev");
        f.clock.advance(Duration.ofDays(3650));
        RotorRunner.Result again = f.run("rotate", "--only-due", "-e", "dev");
        assertTrue(again.err().contains("not due"), again.err());
        assertEquals(first, f.file("dev"));
        assertEquals(0, f.run("rotate", "-e", "dev").exit());
        assertNotEquals(first, f.file("dev"), "a plain rotate still rotates it");
    }

    @Test
    void aMissingProvidedValueIsAClearErrorAndWritesNothing() throws IOException {
        Fixture f = new Fixture(dir);
        Fixture.write(f.manifest, Fixture.read(f.manifest).replace("{ type: password, length: 24 }",
                "{ type: provided, variable: DB_PASSWORD_FROM_VAULT }"));
        Map<String, Long> before = snapshot(dir);
        RotorRunner.Result r = f.run("rotate", "-e", "dev");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("DB_PASSWORD_FROM_VAULT"), r.err());
        assertEquals(before.keySet(), snapshot(dir).keySet());
        assertTrue(MemoryOwnerProvider.CALLS.stream().noneMatch(c -> c.startsWith("accept")));
    }

    @Test
    void aTargetNameFromTheEnvironmentIsCheckedBeforeAnythingIsWritten() throws IOException {
        Fixture f = new Fixture(dir);
        Fixture.write(f.manifest, Fixture.read(f.manifest).replace("name: \"db-${env}.txt\"", "name: \"${env:FILE_NAME}\""));
        f.env.put("FILE_NAME", "../../escaped.txt");
        Map<String, Long> before = snapshot(dir);
        RotorRunner.Result r = f.run("rotate", "-e", "dev");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("target name '../../escaped.txt' is not valid for store 'keys'"), r.err());
        assertEquals(before, snapshot(dir));
        assertFalse(Files.exists(dir.getParent().getParent().resolve("escaped.txt")));
    }

    @Test
    void unknownSecretOrEnvironmentIsAUsageError() {
        Fixture f = new Fixture(dir);
        assertEquals(2, f.run("rotate", "-s", "nope").exit());
        assertEquals(2, f.run("rotate", "-e", "staging").exit());
        assertEquals(2, f.run("rotate", "--no-such-option").exit());
    }

    @Test
    void aDamagedJournalStopsTheRotationWithNothingChanged() throws IOException {
        Fixture f = new Fixture(dir);
        assertEquals(0, f.run("rotate", "-e", "dev").exit());
        String value = f.file("dev");
        Fixture.write(dir.resolve("keys/.rotor/journal/db-password.dev.json"), "{ this is not json " + value);
        Map<String, Long> before = snapshot(dir);
        RotorRunner.Result r = f.run("rotate", "-e", "dev");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("journal keys:.rotor/journal/db-password.dev.json is not a Rotor journal"), r.err());
        assertFalse(r.all().contains(value), "the damaged journal's content is never echoed");
        assertEquals(before, snapshot(dir));
    }

    /** Every file under a directory with its modification time. */
    static Map<String, Long> snapshot(Path root) throws IOException {
        Map<String, Long> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(), Files.getLastModifiedTime(p).toMillis() * 31 + Files.size(p));
            }
        }
        return files;
    }
}
