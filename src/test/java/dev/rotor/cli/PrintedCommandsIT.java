package dev.rotor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.testing.RotorJar;
import dev.rotor.testing.RotorRunner.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command Rotor prints for a user to run is taken from its output and run exactly as printed, by a shell, in
 * the folder the user ran Rotor from: the exit-3 finish and rollback commands, the exit-4 command that finishes
 * what a dead run left, and the status hint. Rotor itself runs from the jar, as users run it.
 */
class PrintedCommandsIT {
    private static final Path JAR = RotorJar.JAR;

    @TempDir
    Path dir;

    @Test
    void theFinishRollbackAndStatusCommandsOfAFailedVerificationRunAsPrinted() throws Exception {
        manifest("""
                    verify:
                      - command: 'test -f healthy'
                """);
        Files.writeString(dir.resolve("healthy"), "");
        assertEquals(0, rotor("rotate", "-m", "rotation.yml").exit());
        String good = key("db-password");
        Files.delete(dir.resolve("healthy"));

        Result failed = rotor("rotate", "-m", "rotation.yml");
        assertEquals(3, failed.exit(), failed.err());
        Matcher ways = Pattern.compile("Finish with: (.+) \\| undo with: (.+)$", Pattern.MULTILINE).matcher(failed.err());
        assertTrue(ways.find(), failed.err());
        String finish = ways.group(1);
        String rollback = ways.group(2);
        assertTrue(finish.startsWith("java -jar " + JAR + " rotate -m rotation.yml --secret db-password"), finish);
        String pending = journal("db-password").get("pending").asText();

        Result status = rotor("status", "-m", "rotation.yml");
        Matcher hint = Pattern.compile("finish it with: (.+)$", Pattern.MULTILINE).matcher(status.out());
        assertTrue(hint.find(), status.out());

        Result undone = shell(rollback);
        assertEquals(3, undone.exit(), "the check still fails, so the rollback is not verified either: " + undone.err());
        Files.writeString(dir.resolve("healthy"), "");
        Result rolledBack = shell(rollback);
        assertEquals(0, rolledBack.exit(), rollback + "\n" + rolledBack.err());
        assertEquals(good, key("db-password"), "the rollback restored the value from before the failed rotation");

        Files.delete(dir.resolve("healthy"));
        assertEquals(3, rotor("rotate", "-m", "rotation.yml").exit());
        String second = journal("db-password").get("pending").asText();
        assertNotEquals(pending, second);
        Files.writeString(dir.resolve("healthy"), "");
        Result viaStatus = shell(hintOf(rotor("status", "-m", "rotation.yml")));
        assertEquals(0, viaStatus.exit(), viaStatus.err());
        assertEquals(second, key("db-password"), "the status hint finished the rotation with its journaled value");
        assertTrue(journal("db-password").path("pending").isMissingNode());
    }

    @Test
    void aReRunAfterACrashChangesNothingAndItsPrintedCommandFinishesWithoutRotatingAnythingAgain() throws Exception {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                secrets:
                  first:
                    generate: { type: password, length: 24 }
                    targets: [ { store: keys, name: first } ]
                  second:
                    generate: { type: password, length: 24 }
                    targets: [ { store: keys, name: second } ]
                    verify:
                      - command: 'test -f go || { touch in-verify; sleep 60; }'
                  third:
                    generate: { type: password, length: 24 }
                    targets: [ { store: keys, name: third } ]
                """);
        RotorJar.Running doomed = RotorJar.jar("rotate", "-m", "rotation.yml").in(dir).start(dir.resolve("doomed.log"));
        doomed.killOnceExists(dir.resolve("in-verify"), "the run reached the second secret's verify step");
        String doomedLog = doomed.output();
        Matcher first = Pattern.compile("\\Arun (\\S+): 3 secrets\\R").matcher(doomedLog);
        assertTrue(first.find(), "the run id is the first line: " + doomedLog);
        String deadRun = first.group(1);
        String firstValue = key("first");
        String firstJournal = Files.readString(dir.resolve("keys/.rotor/journal/first.json"));
        String secondPending = journal("second").get("pending").asText();

        Files.writeString(dir.resolve("go"), "");
        Result again = rotor("rotate", "-m", "rotation.yml");
        assertEquals(4, again.exit(), again.err());
        assertTrue(again.err().contains("held by run " + deadRun), again.err());
        assertEquals(firstJournal, Files.readString(dir.resolve("keys/.rotor/journal/first.json")),
                "exit 4 changed nothing: the finished secret was not rotated again");
        assertFalse(Files.exists(dir.resolve("keys/third")), "nothing started");

        Matcher advice = Pattern.compile("finish what it left with: (.+)$", Pattern.MULTILINE).matcher(again.err());
        assertTrue(advice.find(), again.err());
        assertTrue(advice.group(1).endsWith("rotate -m rotation.yml --resume --run-id " + deadRun), advice.group(1));
        Result resumed = shell(advice.group(1));
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.err().contains("finishing the unfinished rotation"), resumed.err());
        assertEquals(firstValue, key("first"), "the first secret was not rotated again");
        assertEquals(firstJournal, Files.readString(dir.resolve("keys/.rotor/journal/first.json")));
        assertEquals(secondPending, key("second"), "the second finished with the value journaled before the kill");
        assertFalse(Files.exists(dir.resolve("keys/third")), "--resume starts no new rotation");
        assertTrue(resumed.out().contains("third: nothing pending"), resumed.out());
    }

    private void manifest(String verify) throws Exception {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: keys }
                  app-env: { type: dotenv, path: app.env }
                secrets:
                  db-password:
                    generate: { type: password, length: 32 }
                    targets:
                      - { store: keys, name: db-password }
                      - { store: app-env, name: DATABASE_URL, value: "postgresql://app:${secret.url}@db/app" }
                """ + verify);
    }

    @Test
    void theRepairThatStatusDriftPrintsRunsAsPrintedAndEndsTheDrift() throws Exception {
        manifest("");
        assertEquals(0, rotor("rotate", "-m", "rotation.yml").exit());
        String value = key("db-password");
        Files.writeString(dir.resolve("app.env"), "DATABASE_URL=postgresql://app:edited-by-hand@db/app\n");

        Result drifted = rotor("status", "--drift", "-m", "rotation.yml");
        assertEquals(5, drifted.exit(), drifted.err());
        Matcher repair = Pattern.compile("^  repair: (.+)$", Pattern.MULTILINE).matcher(drifted.out());
        assertTrue(repair.find(), drifted.out());
        Result repaired = shell(repair.group(1));
        assertEquals(0, repaired.exit(), repair.group(1) + "\n" + repaired.err());
        assertEquals("DATABASE_URL=postgresql://app:" + dev.rotor.testing.Forms.url(value) + "@db/app\n",
                Files.readString(dir.resolve("app.env")));
        assertEquals(0, rotor("status", "--drift", "-m", "rotation.yml").exit(), "no drift after the repair");
        assertEquals(value, key("db-password"), "a repair generates no new value");
    }

    private static String hintOf(Result status) {
        Matcher hint = Pattern.compile("finish it with: (.+)$", Pattern.MULTILINE).matcher(status.out());
        assertTrue(hint.find(), status.out());
        return hint.group(1);
    }

    private String key(String name) throws Exception {
        return Files.readString(dir.resolve("keys").resolve(name));
    }

    private JsonNode journal(String unit) throws Exception {
        return new ObjectMapper().readTree(dir.resolve("keys/.rotor/journal/" + unit + ".json").toFile());
    }

    private Result rotor(String... args) throws Exception {
        return RotorJar.jar(args).in(dir).run();
    }

    /** A printed command, run as a user would paste it: by a shell, with the JDK's java first on the PATH. */
    private Result shell(String line) throws Exception {
        return RotorJar.program("bash", "-c", line).in(dir)
                .env(Map.of("PATH", RotorJar.java().getParent() + ":" + System.getenv("PATH"))).run();
    }
}
