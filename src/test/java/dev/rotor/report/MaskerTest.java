package dev.rotor.report;

import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskerTest {
    private final List<String> announced = new ArrayList<>();
    private final Masker masker = new Masker(announced::add);

    @Test
    void everyFormIsAnnouncedOnceAndRedacted() {
        String value = "p@ss w0rd/+?";
        masker.add(value);
        masker.add(value);
        List<String> forms = List.of(value, Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)),
                Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8)),
                HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8)),
                URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
        for (String form : forms) {
            assertEquals(1, announced.stream().filter(form::equals).count(), form);
            assertEquals("[***]", masker.redact("[" + form + "]"));
        }
    }

    @Test
    void aMultiLineValueIsAnnouncedLineByLineNeverAsOneCommand() {
        String pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHd5b2xvbG9sb2xv\n-----END PRIVATE KEY-----";
        masker.add(pem);
        assertTrue(announced.stream().noneMatch(form -> form.contains("\n")));
        assertTrue(announced.contains("MC4CAQAwBQYDK2VwBCIEIHd5b2xvbG9sb2xv"));
        assertEquals("key: ***", masker.redact("key: " + pem));
        assertEquals("line ***", masker.redact("line MC4CAQAwBQYDK2VwBCIEIHd5b2xvbG9sb2xv"));
    }

    @Test
    void theLongestFormIsRedactedFirstSoNoFragmentSurvives() {
        masker.add("secret-value");
        masker.add("postgresql://u:secret-value@db/app");
        String redacted = masker.redact("url postgresql://u:secret-value@db/app");
        assertEquals("url ***", redacted);
        assertFalse(redacted.contains("secret"));
    }

    @Test
    void veryShortFormsAreNotMaskedSoOrdinaryTextSurvives() {
        masker.add("ab");
        assertEquals(List.of(), announced.stream().filter("ab"::equals).toList());
        assertEquals("tab", masker.redact("tab"));
    }
}
