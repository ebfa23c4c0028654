package dev.rotor.generate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.rotor.generate.Specs.generator;
import static dev.rotor.generate.Specs.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProvidedValueTest {
    private static final String FILE = "infra/secrets/user-provided.env";
    private static final String VALUE = "GOCSPX-provided-client-secret";

    @TempDir
    Path base;

    private Generator google(Map<String, String> environment) {
        return generator(environment, base, spec("provided", "variable", "OIDC_GOOGLE_CLIENT_SECRET", "file", FILE));
    }

    private void writeEnvFile(String... lines) throws Exception {
        Files.createDirectories(base.resolve(FILE).getParent());
        Files.write(base.resolve(FILE), List.of(lines));
    }

    @Test
    void theEnvironmentComesFirst() throws Exception {
        writeEnvFile("OIDC_GOOGLE_CLIENT_SECRET=from-file");
        assertEquals(VALUE, google(Map.of("OIDC_GOOGLE_CLIENT_SECRET", VALUE)).generate());
    }

    @Test
    void theFileIsReadWhenTheVariableIsUnsetOrEmpty() throws Exception {
        writeEnvFile("# OAuth clients", "", "OIDC_MICROSOFT_CLIENT_SECRET=other",
                "export OIDC_GOOGLE_CLIENT_SECRET=" + VALUE + "  # from the Google console");
        assertEquals(VALUE, google(Map.of()).generate());
        assertEquals(VALUE, google(Map.of("OIDC_GOOGLE_CLIENT_SECRET", "")).generate(),
                "an empty action input counts as unset");
    }

    @Test
    void dotenvQuotingAndTheLastDefinitionWin() throws Exception {
        writeEnvFile("OIDC_GOOGLE_CLIENT_SECRET=first", "OIDC_GOOGLE_CLIENT_SECRET = \"a \\\"b\\\" #c\\n\" # note");
        assertEquals("a \"b\" #c\n", google(Map.of()).generate());
        writeEnvFile("OIDC_GOOGLE_CLIENT_SECRET='lit\\eral #x'");
        assertEquals("lit\\eral #x", google(Map.of()).generate());
    }

    @Test
    void aMissingValueNamesTheVariableAndTheFileButNoValue() throws Exception {
        GenerationException noFile = assertThrows(GenerationException.class, () -> google(Map.of()).generate());
        assertEquals("OIDC_GOOGLE_CLIENT_SECRET is not set: set OIDC_GOOGLE_CLIENT_SECRET in the environment or in "
                + FILE + " (that file does not exist); its value is provided, never generated", noFile.getMessage());

        writeEnvFile("OIDC_MICROSOFT_CLIENT_SECRET=" + VALUE, "OIDC_GOOGLE_CLIENT_SECRET=");
        GenerationException empty = assertThrows(GenerationException.class,
                () -> google(Map.of("OTHER", VALUE)).generate());
        assertEquals("OIDC_GOOGLE_CLIENT_SECRET is not set: set OIDC_GOOGLE_CLIENT_SECRET in the environment or in "
                + FILE + "; its value is provided, never generated", empty.getMessage());
        assertFalse(empty.getMessage().contains(VALUE));

        Generator envOnly = generator(Map.of(), base, spec("provided", "variable", "KEYCLOAK_SECRET"));
        GenerationException unset = assertThrows(GenerationException.class, envOnly::generate);
        assertTrue(unset.getMessage().startsWith("KEYCLOAK_SECRET is not set: set KEYCLOAK_SECRET in the environment"));
    }

    @Test
    void aMalformedLineIsReportedByNumberNeverByContent() throws Exception {
        writeEnvFile("A=1", "OIDC_GOOGLE_CLIENT_SECRET=\"" + VALUE);
        GenerationException malformed = assertThrows(GenerationException.class, () -> google(Map.of()).generate());
        assertEquals(FILE + " line 2: the double quote is not closed", malformed.getMessage());
    }

    @Test
    void policyAsksForANonEmptyTrimmedValue() {
        Generator generator = google(Map.of());
        assertEquals(List.of(), generator.policyViolations(VALUE));
        assertEquals(List.of("is empty"), generator.policyViolations(""));
        assertEquals(List.of("is empty"), generator.policyViolations(" \n"));
        assertEquals(List.of("has leading or trailing whitespace"), generator.policyViolations(VALUE + "\n"));
    }
}
