package dev.rotor.generate;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.manifest.OptionInfo;

import dev.rotor.manifest.GeneratorSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.rotor.generate.Specs.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GeneratorsCheckTest {
    private static void assertProblems(GeneratorSpec spec, KeyProblem... expected) {
        assertEquals(List.of(expected), Generators.check(spec));
    }

    @Test
    void everyTypeWithDefaultsIsValid() {
        for (String type : Generators.TYPES) {
            GeneratorSpec spec = "provided".equals(type) ? spec(type, "variable", "X") : spec(type);
            assertEquals(List.of(), Generators.check(spec), type);
        }
        assertEquals(List.of("password", "bytes", "uuid", "rsa", "ec", "ed25519", "jwt-hmac", "provided"),
                List.copyOf(Generators.TYPES));
        assertEquals(List.of(), Generators.check(new GeneratorSpec("uuid", null, null)), "options may be absent");
        assertEquals(List.of(), Generators.check(spec("uuid", "type", "uuid")), "options may repeat the type");
    }

    @Test
    void unknownOrMissingTypeSuggestsTheNearest() {
        assertProblems(spec("pasword"),
                new KeyProblem("type", "unknown generator type 'pasword'", "did you mean 'password'?"));
        assertProblems(spec("jwt"), new KeyProblem("type", "unknown generator type 'jwt'", "did you mean 'jwt-hmac'?"));
        assertProblems(spec("totp"), new KeyProblem("type", "unknown generator type 'totp'",
                "valid types: bytes, ec, ed25519, jwt-hmac, password, provided, rsa, uuid"));
        assertProblems(spec(null), new KeyProblem("type", "generate needs a type",
                "valid types: bytes, ec, ed25519, jwt-hmac, password, provided, rsa, uuid"));
    }

    @Test
    void unknownOptionKeysSuggestTheNearest() {
        assertProblems(spec("password", "lenght", 12),
                new KeyProblem("lenght", "unknown option for password", "did you mean 'length'?"));
        assertProblems(spec("rsa", "size", 2048),
                new KeyProblem("size", "unknown option for rsa", "valid options of rsa: bits"));
        assertProblems(spec("ed25519", "curve", "P-256"),
                new KeyProblem("curve", "unknown option for ed25519", "ed25519 takes no options"));
        assertProblems(spec("provided", "variable", "X", "fil", "a.env"),
                new KeyProblem("fil", "unknown option for provided", "did you mean 'file'?"));
    }

    @Test
    void wrongTypesAreNamedWithoutEchoingText() {
        assertProblems(spec("password", "length", "long"),
                new KeyProblem("length", "must be a whole number, not text", ""));
        assertProblems(spec("password", "length", 12.5),
                new KeyProblem("length", "must be a whole number, not a decimal number", ""));
        assertProblems(spec("bytes", "length", true),
                new KeyProblem("length", "must be a whole number, not true/false", ""));
        assertProblems(spec("password", "symbols", List.of("!")),
                new KeyProblem("symbols", "must be text, not a list", ""));
        assertProblems(spec("provided", "variable", Map.of("a", 1)),
                new KeyProblem("variable", "must be text, not a map", ""));
    }

    @Test
    void rangesAndChoices() {
        assertProblems(spec("password", "length", 7),
                new KeyProblem("length", "must be between 8 and 4096, not 7", ""));
        assertProblems(spec("password", "length", "5000"),
                new KeyProblem("length", "must be between 8 and 4096, not 5000", ""));
        assertProblems(spec("bytes", "length", 8),
                new KeyProblem("length", "must be between 16 and 8192, not 8", ""));
        assertProblems(spec("rsa", "bits", 1024),
                new KeyProblem("bits", "must be one of 2048, 3072, 4096, not 1024", ""));
        assertProblems(spec("ec", "curve", "P-265"),
                new KeyProblem("curve", "'P-265' is not one of P-256, P-384, P-521", "did you mean 'P-256'?"));
        assertProblems(spec("ec", "curve", "secp256k1"), new KeyProblem("curve",
                "'secp256k1' is not one of P-256, P-384, P-521", "valid curve: P-256, P-384, P-521"));
        assertProblems(spec("bytes", "encoding", "base32"), new KeyProblem("encoding",
                "'base32' is not one of base64, base64url, hex", "did you mean 'base64'?"));
        assertProblems(spec("jwt-hmac", "algorithm", "RS256"), new KeyProblem("algorithm",
                "'RS256' is not one of HS256, HS384, HS512", "did you mean 'HS256'?"));
        assertProblems(spec("password", "classes", List.of("lower", "digit")), new KeyProblem("classes",
                "'digit' is not one of lower, upper, digits, symbols", "did you mean 'digits'?"));
        assertProblems(spec("password", "classes", List.of()), new KeyProblem("classes",
                "must name at least one of lower, upper, digits, symbols", ""));
        assertProblems(spec("password", "symbols", "ab"), new KeyProblem("symbols",
                "may hold only printable ASCII punctuation (no letters, digits, spaces or non-ASCII)", ""));
    }

    @Test
    void passwordClassesThatExcludeEmpties() {
        assertProblems(spec("password", "classes", List.of("digits", "lower"), "exclude", "0123456789"),
                new KeyProblem("exclude", "no character of class digits is left to use",
                        "remove digits from classes or let some of its characters in"));
        assertProblems(spec("password", "symbols", ""),
                new KeyProblem("symbols", "no character of class symbols is left to use",
                        "remove symbols from classes or let some of its characters in"));
        assertEquals(List.of(), Generators.check(spec("password", "symbols", "", "classes", "lower")));
    }

    @Test
    void providedNeedsAVariableName() {
        assertProblems(spec("provided"),
                new KeyProblem("variable", "provided needs variable", "add variable: to generate"));
        assertProblems(spec("provided", "variable", "1BAD-NAME"), new KeyProblem("variable",
                "must be an environment variable name (letters, digits, underscores; not starting with a digit)", ""));
        assertProblems(spec("provided", "variable", "X", "file", " "),
                new KeyProblem("file", "must name a dotenv file, relative to the manifest's folder", ""));
    }

    @Test
    void everyProblemIsReportedTogether() {
        List<KeyProblem> problems = Generators.check(spec("password", "length", 3, "classes", "lowr", "excluded", "0"));
        assertEquals(List.of("excluded", "length", "classes"), problems.stream().map(KeyProblem::key).toList());
    }

    @Test
    void createRefusesAnInvalidSpecAndDescribesOptions() {
        IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class,
                () -> Generators.create(spec("rsa", "bits", 1), Map.of(), Path.of("."), Specs.RANDOM));
        assertTrue(invalid.getMessage().contains("rotation.yml:3:15"));
        assertTrue(invalid.getMessage().contains("bits: must be one of 2048, 3072, 4096, not 1"));

        OptionInfo length = Generators.options("password").get(0);
        assertEquals(new OptionInfo("length", "integer", false, 32, List.of(), 8, 4096), length);
        assertEquals(List.of("variable", "file"),
                Generators.options("provided").stream().map(OptionInfo::key).toList());
        assertTrue(Generators.options("provided").get(0).required());
        assertEquals(List.of(), Generators.options("nope"));
    }
}
