package dev.rotor.generate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import static dev.rotor.generate.Specs.distinctValues;
import static dev.rotor.generate.Specs.generator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bytes, jwt-hmac and uuid. */
class RandomValuesTest {
    @Test
    void bytesDefaultToThirtyTwoBytesOfPaddedBase64OnOneLine() {
        for (String value : distinctValues(generator("bytes"), 500)) {
            assertEquals(44, value.length());
            assertTrue(value.endsWith("="));
            assertEquals(32, Base64.getDecoder().decode(value).length);
        }
    }

    @Test
    void bytesInEachEncodingDecodeToTheAskedLength() {
        for (String value : distinctValues(generator("bytes", "length", 48, "encoding", "base64url"), 200)) {
            assertTrue(value.matches("[A-Za-z0-9_-]{64}"), "base64url without padding");
            assertEquals(48, Base64.getUrlDecoder().decode(value).length);
        }
        for (String value : distinctValues(generator("bytes", "length", "20", "encoding", "HEX"), 200)) {
            assertTrue(value.matches("[0-9a-f]{40}"), "lower-case hex");
            assertEquals(20, HexFormat.of().parseHex(value).length);
        }
        String long64 = generator("bytes", "length", 64).generate();
        assertFalse(long64.contains("\n"), "no line wrapping");
        assertEquals(64, Base64.getDecoder().decode(long64).length);
    }

    @Test
    void bytesPolicyChecksDecodingAndExactLength() {
        Generator base64 = generator("bytes", "length", 16);
        assertEquals(List.of(), base64.policyViolations(Base64.getEncoder().encodeToString(new byte[16])));
        assertEquals(List.of(), base64.policyViolations(Base64.getEncoder().encodeToString(new byte[16]) + "\n"),
                "the newline openssl prints is fine");
        assertEquals(List.of(), base64.policyViolations(Base64.getMimeEncoder(64, new byte[] {'\n'})
                .encodeToString(new byte[16])));
        assertEquals(List.of("decodes to 15 bytes, the policy asks for 16"),
                base64.policyViolations(Base64.getEncoder().encodeToString(new byte[15])));
        assertEquals(List.of("decodes to 17 bytes, the policy asks for 16"),
                base64.policyViolations(Base64.getEncoder().encodeToString(new byte[17])));
        assertEquals(List.of("is not valid base64"), base64.policyViolations("not base64!"));
        assertEquals(List.of("is not valid base64"), base64.policyViolations("ab-_cd-_ef-_gh-_ij-_kl-_"));
        Generator hex = generator("bytes", "length", 16, "encoding", "hex");
        assertEquals(List.of(), hex.policyViolations("00112233445566778899AABBCCDDEEFF"));
        assertEquals(List.of("is not valid hex"), hex.policyViolations("0011223344556677889"));
    }

    @ParameterizedTest
    @CsvSource({"HS256, 32", "HS384, 48", "hs512, 64"})
    void jwtHmacKeysAreAsLongAsTheHashInUnpaddedBase64url(String algorithm, int bytes) {
        for (String value : distinctValues(generator("jwt-hmac", "algorithm", algorithm), 200)) {
            assertTrue(value.matches("[A-Za-z0-9_-]+"), "base64url without padding");
            assertEquals(bytes, Base64.getUrlDecoder().decode(value).length);
        }
    }

    @Test
    void jwtHmacPolicyAsksForAtLeastTheKeySizeInBase64url() {
        Generator hs256 = generator("jwt-hmac");
        String encoder48 = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[48]);
        assertEquals(List.of(), hs256.policyViolations(encoder48), "a longer key is fine");
        assertEquals(List.of(), hs256.policyViolations(Base64.getUrlEncoder().encodeToString(new byte[32])),
                "padding is tolerated");
        assertEquals(List.of("decodes to 31 bytes, the policy asks for at least 32"),
                hs256.policyViolations(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[31])));
        assertEquals(List.of("is not valid base64url"),
                hs256.policyViolations("+/+/" + encoder48));
    }

    @Test
    void uuidsAreRandomVersionFour() {
        for (String value : distinctValues(generator("uuid"), 1000)) {
            UUID uuid = UUID.fromString(value);
            assertEquals(4, uuid.version());
            assertEquals(2, uuid.variant());
            assertEquals(value, value.toLowerCase());
        }
    }

    @Test
    void uuidPolicyRejectsOtherVersionsAndShapes() {
        Generator uuid = generator("uuid");
        assertEquals(List.of(), uuid.policyViolations("3F2504E0-4F89-41D3-9A0C-0305E82C3301"));
        assertEquals(List.of("is not a version-4 UUID"),
                uuid.policyViolations(UUID.nameUUIDFromBytes(new byte[] {1}).toString()));
        assertEquals(List.of("is not a version-4 UUID"), uuid.policyViolations("3f2504e0-4f89-41d3-ca0c-0305e82c3301"));
        assertEquals(List.of("is not a version-4 UUID"), uuid.policyViolations("not-a-uuid"));
    }
}
