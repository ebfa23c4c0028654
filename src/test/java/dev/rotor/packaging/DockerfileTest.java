package dev.rotor.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.rotor.testing.RotorJar;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs here, so the Dockerfile is checked against what JlinkRuntimeIT runs for real: the same
 * module list read the same way, the same jlink options, the same AppCDS steps, and the entry point action.yml needs.
 */
class DockerfileTest {

    static final Path DOCKERFILE = Path.of("Dockerfile");

    static String dockerfile() throws IOException {
        // Join continuation lines, as Docker reads them.
        return Files.readString(DOCKERFILE).replaceAll("\\s*\\\\\\r?\\n\\s*", " ");
    }

    @Test
    void jlinkStageReadsTheSharedListWithTheTestedOptions() throws IOException {
        String text = dockerfile();
        assertTrue(text.contains("COPY src/main/jlink/modules /tmp/modules"), "the jlink stage must copy the list");
        Matcher jlink = Pattern.compile("jlink --add-modules \"\\$\\{modules}\"([^&\\n]*)--output /opt/rotor").matcher(text);
        assertTrue(jlink.find(), "no jlink command reading ${modules}");
        assertEquals(JlinkRuntimeIT.JLINK_OPTIONS, Arrays.asList(jlink.group(1).strip().split("\\s+")));
    }

    /** The shell pipeline of the Dockerfile turns the list into the same modules as the test's parser. */
    @Test
    void dockerfilePipelineReadsTheSameModules() throws Exception {
        Matcher pipeline = Pattern.compile("modules=\"\\$\\((.*?)\\)\"").matcher(dockerfile());
        assertTrue(pipeline.find(), "no modules=\"$(...)\" in the Dockerfile");
        String script = pipeline.group(1).replace("/tmp/modules", JlinkRuntimeIT.MODULES.toString());
        RotorRunner.Result listed = RotorJar.program("sh", "-c", script).run();
        assertEquals(0, listed.exit(), listed.all());
        assertEquals(String.join(",", JlinkRuntimeIT.modules(JlinkRuntimeIT.MODULES)), listed.out().strip());
    }

    @Test
    void finalStageRunsTheJarWithTheCdsArchiveAsANonRootUser() throws IOException {
        String text = dockerfile();
        assertTrue(text.contains("ENTRYPOINT [\"/opt/rotor/bin/rotor\"]"), "ENTRYPOINT changed");
        assertTrue(text.contains("COPY --chmod=755 src/main/docker/rotor /opt/rotor/bin/rotor"));
        // The archive is made by the script JlinkRuntimeIT runs, against the jar at its final path.
        assertTrue(text.contains("COPY examples/local/rotation.yml examples/local/user-provided.env"
                + " src/main/docker/cds-archive /tmp/cds/"));
        assertTrue(text.contains("RUN sh /tmp/cds/cds-archive /opt/rotor/bin/java /opt/rotor/rotor.jar"
                + " /opt/rotor/lib/rotor.jsa /tmp/cds"));
        assertTrue(text.contains("COPY --from=build /build/target/rotor.jar /opt/rotor/rotor.jar"));
        List<String> users = text.lines().filter(l -> l.startsWith("USER ")).toList();
        assertEquals(List.of("USER ${ROTOR_UID}:${ROTOR_GID}"), users);
        assertTrue(text.contains("ARG ROTOR_UID=1001"), "the default uid is the hosted runner's");
        assertTrue(text.lines().noneMatch(l -> l.startsWith("WORKDIR") && text.indexOf(l) > text.lastIndexOf("FROM ")),
                "the final stage must not set WORKDIR: the runner starts the container in /github/workspace");
    }

    @Test
    void dockerignoreLetsInWhatTheDockerfileCopies() throws IOException {
        List<String> ignore = Files.readAllLines(Path.of(".dockerignore"));
        assertTrue(ignore.contains("*"), ".dockerignore should exclude everything by default");
        for (String kept : List.of("!pom.xml", "!src/main", "!examples/local/rotation.yml",
                "!examples/local/user-provided.env")) {
            assertTrue(ignore.contains(kept), ".dockerignore must keep " + kept);
        }
    }

    /** The entry point gives C1 alone to the read-only commands and tiered compilation to those that generate keys. */
    @Test
    void theEntryPointPicksTheJitPerCommand(@org.junit.jupiter.api.io.TempDir Path home) throws Exception {
        Path java = home.resolve("bin/java");
        Files.createDirectories(java.getParent());
        Files.writeString(java, "#!/bin/sh\necho \"$@\"\n");
        java.toFile().setExecutable(true);
        String c1 = "-XX:TieredStopAtLevel=1";
        assertTrue(entryPoint(home, Map.of(), "validate", "-m", "x.yml").contains(c1
                + " -XX:+UseSerialGC -XX:-UsePerfData -jar " + home.resolve("rotor.jar") + " validate -m x.yml"));
        assertTrue(entryPoint(home, Map.of(), "--version").contains(c1));
        assertTrue(entryPoint(home, Map.of("INPUT_COMMAND", "plan"), "action").contains(c1));
        assertTrue(entryPoint(home, Map.of(), "action").contains("-XX:+TieredCompilation"), "the action's default is rotate");
        assertTrue(entryPoint(home, Map.of("INPUT_COMMAND", "rollback"), "action").contains("-XX:+TieredCompilation"));
        assertTrue(entryPoint(home, Map.of(), "rotate").contains("-XX:SharedArchiveFile=" + home.resolve("lib/rotor.jsa")
                + " -XX:+TieredCompilation"));
    }

    private static String entryPoint(Path home, Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("sh", "src/main/docker/rotor"));
        command.addAll(List.of(args));
        Map<String, String> variables = new java.util.HashMap<>(env);
        variables.put("ROTOR_HOME", home.toString());
        RotorRunner.Result ran = RotorJar.program(command.toArray(String[]::new)).env(variables).run();
        assertEquals(0, ran.exit(), ran.all());
        return ran.out().strip();
    }
}
