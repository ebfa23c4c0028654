package dev.rotor.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/**
 * The two jars of {@code mvn package}: {@code target/rotor.jar}, the runnable shaded jar every test, the Dockerfile
 * and the README use, and the main artifact, which must hold Rotor's own classes only. Were the main artifact the
 * shaded jar, a second {@code package} in the same tree (the README's quick start, then {@code mvn verify}) would
 * shade it again and print hundreds of "overlapping classes" warnings. Runs in {@code mvn verify}, after
 * {@code package}.
 */
class ShadedJarIT {

    static final Path SHADED = Path.of("target/rotor.jar");

    @Test
    void theRunnableJarHoldsRotorAndItsDependencies() throws IOException {
        assertTrue(Files.isRegularFile(SHADED), SHADED + " is missing: run `mvn package` first");
        try (JarFile jar = new JarFile(SHADED.toFile())) {
            assertEquals("dev.rotor.cli.Rotor", jar.getManifest().getMainAttributes().getValue("Main-Class"));
            assertNotNull(jar.getEntry("dev/rotor/cli/Rotor.class"));
            assertNotNull(jar.getEntry("picocli/CommandLine.class"), "picocli is not shaded in");
            assertNotNull(jar.getEntry("com/fasterxml/jackson/dataformat/yaml/YAMLFactory.class"),
                    "jackson-dataformat-yaml is not shaded in");
        }
    }

    @Test
    void theMainArtifactHoldsOnlyRotorsOwnClasses() throws Exception {
        Path main = mainArtifact();
        assertTrue(Files.isRegularFile(main), main + " is missing: the main artifact must be its own file, apart"
                + " from " + SHADED);
        try (JarFile jar = new JarFile(main.toFile())) {
            List<String> foreign = jar.stream().map(e -> e.getName())
                    .filter(name -> name.endsWith(".class") && !name.startsWith("dev/rotor/"))
                    .limit(5).collect(Collectors.toList());
            assertEquals(List.of(), foreign, main + " holds dependency classes: the next package would re-shade it");
            assertNotNull(jar.getEntry("dev/rotor/cli/Rotor.class"));
        }
    }

    /** {@code target/<artifactId>-<version>.jar}, Maven's name for the main artifact, from pom.xml. */
    private static Path mainArtifact() throws Exception {
        Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile())
                .getDocumentElement();
        return Path.of("target", child(project, "artifactId") + "-" + child(project, "version") + ".jar");
    }

    private static String child(Element parent, String name) {
        for (var node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element && node.getNodeName().equals(name)) {
                return node.getTextContent().strip();
            }
        }
        throw new AssertionError("pom.xml has no project/" + name);
    }
}
