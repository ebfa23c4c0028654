package dev.rotor.generate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.rotor.generate.Specs.distinctValues;
import static dev.rotor.generate.Specs.generator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordGeneratorTest {
    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String UPPER = LOWER.toUpperCase();
    private static final String DIGITS = "0123456789";

    @Test
    void defaultsAre32CharactersOfAllFourClassesWithTheDefaultSymbols() {
        for (String value : distinctValues(generator("password"), 500)) {
            assertEquals(32, value.length());
            assertTrue(value.chars().allMatch(c -> (LOWER + UPPER + DIGITS + "-_.").indexOf(c) >= 0));
            assertHasOneOf(value, LOWER);
            assertHasOneOf(value, UPPER);
            assertHasOneOf(value, DIGITS);
            assertHasOneOf(value, "-_.");
        }
    }

    @Test
    void lengthAcceptsIntegerOrNumericStringAndItsBounds() {
        assertEquals(8, generator("password", "length", 8).generate().length());
        assertEquals(4096, generator("password", "length", "4096").generate().length());
        assertEquals(64, generator("password", "length", 64).generate().length());
    }

    @Test
    void everyRequiredClassAppearsEvenWhenRareAndShort() {
        Generator generator = generator("password", "length", 8, "classes", List.of("lower", "upper", "digits",
                "symbols"), "symbols", "#");
        for (int i = 0; i < 2000; i++) {
            String value = generator.generate();
            assertHasOneOf(value, "#");
            assertHasOneOf(value, DIGITS);
            assertHasOneOf(value, UPPER);
            assertHasOneOf(value, LOWER);
        }
    }

    @Test
    void requiredCharactersLandAtEveryPosition() {
        Generator generator = generator("password", "length", 8, "classes", List.of("digits", "symbols"),
                "symbols", "#");
        boolean[] symbolSeenAt = new boolean[8];
        for (int i = 0; i < 3000; i++) {
            String value = generator.generate();
            for (int position = 0; position < value.length(); position++) {
                symbolSeenAt[position] |= value.charAt(position) == '#';
            }
        }
        for (int position = 0; position < 8; position++) {
            assertTrue(symbolSeenAt[position], "a symbol appeared at position " + position);
        }
    }

    @Test
    void chosenClassesAndExcludedCharactersAreRespected() {
        Generator generator = generator("password", "length", 40, "classes", List.of("upper", "digits"),
                "exclude", "O0I1");
        for (String value : distinctValues(generator, 500)) {
            assertEquals(40, value.length());
            assertTrue(value.chars().allMatch(c -> (UPPER + DIGITS).indexOf(c) >= 0), "only upper and digits");
            assertTrue(value.chars().noneMatch(c -> "O0I1".indexOf(c) >= 0), "no excluded character");
        }
    }

    @Test
    void aSingleClassNameIsAListOfOne() {
        String value = generator("password", "classes", "digits").generate();
        assertTrue(value.chars().allMatch(Character::isDigit));
    }

    @Test
    void customSymbolsAreTheOnlySymbolsUsed() {
        Generator generator = generator("password", "symbols", "!@#", "length", 200);
        for (String value : distinctValues(generator, 50)) {
            assertTrue(value.chars().filter(c -> !Character.isLetterOrDigit(c)).allMatch(c -> "!@#".indexOf(c) >= 0));
        }
    }

    @Test
    void policyAcceptsConformingValuesAndNamesEachBrokenRuleWithoutTheValue() {
        Generator generator = generator("password", "length", 12, "exclude", "l1");
        assertEquals(List.of(), generator.policyViolations("Abcdefgh2-jk"));
        assertEquals(List.of(), generator.policyViolations("Abcdefgh2-jkmnop"), "longer is fine");
        assertEquals(List.of("has 8 characters, the policy asks for at least 12"),
                generator.policyViolations("Abcdef2-"));
        assertEquals(List.of("has no character of class upper"), generator.policyViolations("abcdefgh2-jk"));
        assertEquals(List.of("has no character of class symbols"), generator.policyViolations("Abcdefgh2xjk"));
        assertEquals(List.of("contains 2 excluded characters"), generator.policyViolations("Abcdefgh2-l1"));
        assertEquals(List.of("contains 1 character outside the allowed classes"),
                generator.policyViolations("Abcdefgh2-j!"));
        List<String> many = generator.policyViolations("s3cr€t");
        assertEquals(4, many.size(), "length, upper, symbols, foreign: " + many);
        assertTrue(many.stream().noneMatch(v -> v.contains("s3cr")));
    }

    private static void assertHasOneOf(String value, String alphabet) {
        assertTrue(value.chars().anyMatch(c -> alphabet.indexOf(c) >= 0), "has a character of " + alphabet);
    }
}
