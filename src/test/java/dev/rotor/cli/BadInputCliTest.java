package dev.rotor.cli;

import dev.rotor.testing.RotorJar;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user gets wrong on the command line and in the files Rotor works on: each is refused with a line that says
 * what and how to fix it, the documented exit code, and nothing written.
 */
class BadInputCliTest {
    @TempDir
    Path dir;

    /** One secret in a files store and, derived, in a .env file; both under {@code state/}. */
    private Path manifest() throws IOException {
        return Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: state/keys }
                  app-env: { type: dotenv, path: state/app.env }
                secrets:
                  api-key:
                    generate: { type: password, length: 32 }
                    targets:
                      - { store: keys, name: api-key.txt }
                      - { store: app-env, name: API_URL, value: "https://u:${secret.url}@api" }
                """);
    }

    private RotorRunner.Result run(String... args) {
        return RotorRunner.run(Map.of(), args);
    }

    private void assertNothingWritten() {
        assertFalse(Files.exists(dir.resolve("state/keys")), "the files store was written");
    }

    /** The problem first, then the one-line usage and where the rest is: not the whole help burying it. */
    @Test
    void aCommandLineThatDoesNotParseGetsTheProblemAndTheUsageLine() {
        RotorRunner.Result unknown = run("status", "--format", "xml");
        assertEquals(2, unknown.exit(), unknown.all());
        assertEquals(List.of("error: Invalid value for option '--format': expected one of [text, json, prometheus] "
                        + "(case-sensitive) but was 'xml'",
                "Usage: rotor status [-hV] [--drift] [-e=NAME] [--format=FORMAT] [-m=FILE]",
                "                    [--label=FIELD=LABEL]... [-s=NAME]...",
                "See 'rotor status --help' for every option, with examples."), unknown.err().lines().toList());
        RotorRunner.Result label = run("status", "--label", "garbage");
        assertEquals(2, label.exit(), label.all());
        assertEquals("error: Value for option '--label' (FIELD=LABEL) should be in KEY=VALUE format but was garbage",
                label.err().lines().findFirst().orElseThrow());
        RotorRunner.Result command = run("rotat", "-m", "rotation.yml");
        assertEquals(2, command.exit(), command.all());
        assertEquals(List.of("error: unknown command 'rotat'", "did you mean rotate or status or rollback?",
                "Usage: rotor [-hV] [COMMAND]", "See 'rotor --help' for every option, with examples."),
                command.err().lines().toList());
        RotorRunner.Result option = run("rotate", "--dryrun");
        assertEquals(2, option.exit(), option.all());
        assertEquals(List.of("error: Unknown option: '--dryrun'", "did you mean --dry-run?"),
                option.err().lines().limit(2).toList());
        assertEquals("", unknown.out() + label.out() + command.out() + option.out());
    }

    /** In GitHub Actions (the jar run by a workflow step) a usage error is also an annotation on the run's page. */
    @Test
    void inActionsAUsageErrorIsAnAnnotationToo() throws IOException {
        Map<String, String> actions = Map.of("GITHUB_ACTIONS", "true");
        RotorRunner.Result emergency = RotorRunner.run(actions, "rotate", "-m", manifest().toString(), "--emergency");
        assertEquals(2, emergency.exit(), emergency.all());
        assertEquals(List.of("::error::--emergency needs --reason TEXT (the incident), recorded in the report and the "
                + "audit log"), emergency.out().lines().toList());
        assertEquals(List.of("error: --emergency needs --reason TEXT (the incident), recorded in the report and the "
                + "audit log"), emergency.err().lines().toList());
        RotorRunner.Result option = RotorRunner.run(actions, "rotate", "--dryrun");
        assertEquals(2, option.exit(), option.all());
        assertEquals(List.of("::error::Unknown option: '--dryrun'"), option.out().lines().toList());
        assertNothingWritten();
    }

    @Test
    void aLeaseThatIsNotAPositiveDurationIsAUsageError() throws IOException {
        String manifest = manifest().toString();
        RotorRunner.Result garbage = run("rotate", "-m", manifest, "--lease", "soon");
        assertEquals(2, garbage.exit(), garbage.all());
        assertEquals(List.of("error: --lease soon: 'soon' is not a duration: expected a number with ms, s, m, h, d or w "
                + "(90d, 12h, 30m, 45s, 500ms, 2w), or ISO-8601 (P90D, PT12H); nothing was written"), garbage.err().lines().toList());
        RotorRunner.Result zero = run("repair", "-m", manifest, "--lease", "0s");
        assertEquals(2, zero.exit(), zero.all());
        assertEquals(List.of("error: --lease 0s: '0s' must be longer than zero; nothing was written"),
                zero.err().lines().toList());
        assertNothingWritten();
    }

    @Test
    void anEmptyRunIdOrOneWithSpacesIsAUsageError() throws IOException {
        String manifest = manifest().toString();
        for (String runId : List.of("", "run 42")) {
            RotorRunner.Result result = run("rotate", "-m", manifest, "--run-id", runId);
            assertEquals(2, result.exit(), result.all());
            assertEquals(List.of("error: --run-id must be letters, digits and punctuation without spaces (e.g. the id a "
                    + "run printed first: run <id>); nothing was written"), result.err().lines().toList());
        }
        assertNothingWritten();
    }

    @Test
    void anEnvironmentOfAManifestWithoutEnvironmentsIsRefused() throws IOException {
        String manifest = manifest().toString();
        for (String command : List.of("rotate", "plan", "status")) {
            RotorRunner.Result result = run(command, "-m", manifest, "--environment", "prod");
            assertEquals(2, result.exit(), command + ": " + result.all());
            assertEquals(List.of("error: unknown environment 'prod'; the manifest has no environments (leave out "
                    + "--environment); nothing was written"), result.err().lines().toList());
        }
        assertNothingWritten();
    }

    @Test
    void sealRefusesAnEmptyValue() {
        RotorRunner.Result result = RotorRunner.run(new byte[0], Map.of(), "seal", "--public-key",
                "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        assertEquals(2, result.exit(), result.all());
        assertEquals("", result.out());
        assertEquals(List.of("rotor seal: no value on stdin (pipe it in: printf '%s' \"$VALUE\" | rotor seal "
                + "--public-key ...)"), result.err().lines().toList());
    }

    /** A rollback refused before anything was written leaves every target as it was: none is behind. */
    @Test
    void aRollbackWithNothingToRollBackSaysSoAndCallsNoTargetBehind() throws IOException {
        String manifest = manifest().toString();
        assertEquals(0, run("rotate", "-m", manifest).exit());
        RotorRunner.Result result = run("rollback", "-m", manifest, "--secret", "api-key");
        assertEquals(1, result.exit(), result.all());
        assertEquals(List.of("api-key: failed", "summary: failed 1"), result.out().lines().toList());
        assertEquals("error: api-key: pending: no previous value is journaled for api-key: Rotor has not rotated it "
                + "since it first took it over", result.err().lines().filter(l -> l.startsWith("error:")).findFirst()
                .orElseThrow());
    }

    /** A journal edited by hand with a time that does not parse is named as such, not as an unexpected exception. */
    @Test
    void aJournalWithABadTimeIsNamedAndNothingIsWritten() throws IOException {
        String manifest = manifest().toString();
        assertEquals(0, run("rotate", "-m", manifest).exit());
        Path journal = dir.resolve("state/keys/.rotor/journal/api-key.json");
        String edited = Files.readString(journal).replaceFirst("\"rotatedAt\" : \"[^\"]+\"", "\"rotatedAt\" : \"yesterday\"");
        Files.writeString(journal, edited);
        byte[] key = Files.readAllBytes(dir.resolve("state/keys/api-key.txt"));
        String problem = "journal keys:.rotor/journal/api-key.json holds a time that is not an ISO-8601 instant (it was "
                + "changed outside Rotor: restore it from a backup or the store's version history, since it may hold "
                + "a value no other copy has)";
        RotorRunner.Result status = run("status", "-m", manifest);
        assertEquals(1, status.exit(), status.all());
        assertEquals(List.of("error: api-key: " + problem), status.err().lines().toList());
        RotorRunner.Result rotate = run("rotate", "-m", manifest);
        assertEquals(1, rotate.exit(), rotate.all());
        assertEquals("error: api-key: plan: " + problem, rotate.err().lines().filter(l -> l.startsWith("error:"))
                .findFirst().orElseThrow());
        assertEquals(edited, Files.readString(journal));
        assertEquals(new String(key, StandardCharsets.UTF_8), Files.readString(dir.resolve("state/keys/api-key.txt")));
    }

    /** A journal of another format or unit (copied from elsewhere) is refused, not read as this unit's. */
    @Test
    void aJournalOfAnotherFormatOrUnitIsRefused() throws IOException {
        String manifest = manifest().toString();
        assertEquals(0, run("rotate", "-m", manifest).exit());
        Path journal = dir.resolve("state/keys/.rotor/journal/api-key.json");
        String original = Files.readString(journal);
        Files.writeString(journal, original.replace("\"format\" : 1", "\"format\" : 2"));
        RotorRunner.Result format = run("rotate", "-m", manifest);
        assertEquals(1, format.exit(), format.all());
        assertEquals("error: api-key: plan: journal keys:.rotor/journal/api-key.json has format 2, which this Rotor "
                + "does not read (run the Rotor version that wrote it)", format.err().lines()
                .filter(l -> l.startsWith("error:")).findFirst().orElseThrow());
        Files.writeString(journal, original.replace("\"unit\" : \"api-key\"", "\"unit\" : \"db-password\""));
        RotorRunner.Result unit = run("status", "-m", manifest);
        assertEquals(1, unit.exit(), unit.all());
        assertEquals(List.of("error: api-key: journal keys:.rotor/journal/api-key.json is the journal of 'db-password', "
                + "not of 'api-key' (it was changed outside Rotor: restore it from a backup or the store's version "
                + "history, since it may hold a value no other copy has)"), unit.err().lines().toList());
    }

    /**
     * A journal that cannot be written (here a folder where its temporary file goes): the run says it failed, claims
     * no journaled value, calls no target behind and writes no target.
     */
    @Test
    void aJournalThatCannotBeWrittenIsNotClaimedAndNoTargetIsCalledBehind() throws IOException {
        String manifest = manifest().toString();
        assertEquals(0, run("rotate", "-m", manifest).exit());
        Path keyFile = dir.resolve("state/keys/api-key.txt");
        String key = Files.readString(keyFile);
        Path journals = dir.resolve("state/keys/.rotor/journal");
        Files.createDirectories(journals.resolve(".api-key.json.tmp-" + ProcessHandle.current().pid() + "/in-the-way"));
        RotorRunner.Result result = run("rotate", "-m", manifest);
        assertEquals(1, result.exit(), result.all());
        assertEquals(List.of("api-key: failed", "summary: failed 1"), result.out().lines().toList());
        assertEquals(List.of("[1/1] api-key", "error: api-key: pending: keys: write " + journals.resolve("api-key.json")
                        + " failed: the file system refused it (DirectoryNotEmptyException) (check that this process "
                        + "may create and rename files in " + journals + ")"),
                result.err().lines().filter(l -> !l.startsWith("run ")).toList());
        assertEquals(key, Files.readString(keyFile));
    }

    /** The journal's folder is checked at preflight like the store's: refused before anything is written (exit 4). */
    @Test
    void aJournalFolderThatCannotBeCreatedIsRefusedAtPreflight() throws IOException {
        String manifest = manifest().toString();
        Path rotorFolder = dir.resolve("state/keys/.rotor");
        Files.createDirectories(rotorFolder);
        Files.writeString(rotorFolder.resolve("journal"), "a file where the journal's folder belongs");
        RotorRunner.Result result = run("rotate", "-m", manifest);
        assertEquals(4, result.exit(), result.all());
        assertTrue(result.err().contains("preflight: keys: directory " + rotorFolder.resolve("journal")
                + " is not writable (check the path and its permissions)"), result.err());
        assertFalse(Files.exists(dir.resolve("state/keys/api-key.txt")), "nothing was written");
    }

    @Test
    void aDirectoryGivenAsTheManifestIsNamedAsOne() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("deploy"));
        RotorRunner.Result result = run("validate", "-m", folder.toString());
        assertEquals(2, result.exit(), result.all());
        assertEquals(List.of(folder + ": error: is a directory, not a manifest file (give the manifest file with -m, "
                + "e.g. -m " + folder.resolve("rotation.yml") + ")", "error: " + folder + ": 1 error; nothing was "
                + "written"), result.err().lines().toList());
    }

    /** Latin-1 text saved by an old editor: the first byte that is not UTF-8 is located like any manifest error. */
    @Test
    void aByteThatIsNotUtf8IsLocatedByLineAndColumn() throws IOException {
        Path manifest = dir.resolve("rotation.yml");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.writeBytes("version: 1\n# café, in UTF-8\nstores: {} # é r".getBytes(StandardCharsets.UTF_8));
        text.write(0xe9); // é as Latin-1 writes it: one byte
        text.writeBytes("sum\n".getBytes(StandardCharsets.UTF_8));
        Files.write(manifest, text.toByteArray());
        RotorRunner.Result result = run("validate", "-m", manifest.toString());
        assertEquals(2, result.exit(), result.all());
        assertEquals(manifest + ":3:17: error: the manifest is not UTF-8 text (save it as UTF-8)",
                result.err().lines().findFirst().orElseThrow());
    }

    /** A store setting taken from an unset variable: the store and its place in the manifest are named. */
    @Test
    void anUnsetVariableInAStoreSettingIsNamedWithItsPlace() throws IOException {
        Path manifest = Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: "${env:KEYS_DIR}" }
                secrets:
                  api-key:
                    generate: { type: password, length: 32 }
                    targets:
                      - { store: keys, name: api-key.txt }
                """);
        for (String command : List.of("plan", "rotate")) {
            RotorRunner.Result result = run(command, "-m", manifest.toString());
            assertEquals(2, result.exit(), result.all());
            assertEquals(List.of("error: api-key: " + manifest + ":3:3: stores.keys: ${env:KEYS_DIR}: environment "
                    + "variable KEYS_DIR is not set (set it where Rotor runs: export it, or pass it in the workflow "
                    + "step's env:); nothing was written"), result.err().lines().toList());
        }
    }

    /** A check that outlives its timeout is ended with every process it started: none keeps the value. */
    @Test
    void aTimedOutCheckLeavesNoProcessBehind() throws Exception {
        Path manifest = Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  keys: { type: files, directory: state/keys }
                secrets:
                  api-key:
                    generate: { type: password, length: 32 }
                    targets:
                      - { store: keys, name: api-key.txt }
                    verify:
                      - command: 'sleep 60 & echo $! > child.tmp && mv child.tmp child.pid; wait'
                        env: { API_KEY: "${secret}" }
                        timeout: 1s
                """);
        RotorRunner.Result result = run("rotate", "-m", manifest.toString());
        assertEquals(3, result.exit(), result.all());
        assertTrue(result.err().contains("error: api-key: verify: command sleep 60 & echo $! > child.tmp && mv "
                + "child.tmp child.pid;...: timed out after 1s; "), result.err());
        RotorJar.assertEnds(Long.parseLong(Files.readString(dir.resolve("child.pid")).strip()));
    }

    /** A value over several lines in the .env file: refused before the files store or the journal is written. */
    @Test
    void aDotenvFileWithAMultiLineValueIsRefusedBeforeAnythingIsWritten() throws IOException {
        String manifest = manifest().toString();
        Path env = dir.resolve("state/app.env");
        Files.createDirectories(env.getParent());
        String before = "CERT=\"-----BEGIN-----\nAPI_URL=not-a-line-of-its-own\n-----END-----\"\n";
        Files.writeString(env, before);
        RotorRunner.Result result = run("rotate", "-m", manifest);
        assertEquals(4, result.exit(), result.all());
        assertEquals("error: api-key: preflight: app-env: " + env.toAbsolutePath() + " line 1 (CERT): the double quote "
                + "is not closed (write that value on one line (quoted, with \\n for a line break), then run Rotor "
                + "again)", result.err().lines().filter(l -> l.startsWith("error:")).findFirst().orElseThrow());
        assertEquals(before, Files.readString(env));
        assertNothingWritten();
    }
}
