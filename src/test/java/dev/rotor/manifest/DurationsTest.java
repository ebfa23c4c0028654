package dev.rotor.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {
    @Test
    void parsesShortAndIsoForms() {
        assertEquals(Duration.ofDays(90), Durations.parse("90d"));
        assertEquals(Duration.ofHours(12), Durations.parse("12h"));
        assertEquals(Duration.ofMinutes(30), Durations.parse("30m"));
        assertEquals(Duration.ofSeconds(45), Durations.parse("45s"));
        assertEquals(Duration.ofDays(14), Durations.parse("2w"));
        assertEquals(Duration.ofDays(90), Durations.parse("P90D"));
        assertEquals(Duration.ofHours(36), Durations.parse("P1DT12H"));
        assertEquals(Duration.ofHours(12), Durations.parse(" pt12h "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "90", "90 days", "d90", "1d12h", "P", "P1Y", "-5d", "0d", "PT0S", "9999999999d"})
    void refusesOtherFormsNamingTheAcceptedOnes(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().contains("90d") || e.getMessage().contains("longer than zero"), e.getMessage());
    }

    @Test
    void nullIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(null));
    }
}
