package dev.rotor.generate;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTNamedCurves;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import static dev.rotor.generate.Specs.distinctValues;
import static dev.rotor.generate.Specs.generator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rsa, ec and ed25519: PKCS#8 PEM parsed back with the JDK's KeyFactory and Bouncy Castle. */
class PrivateKeyGeneratorTest {
    @Test
    void rsaDefaultsTo2048BitsAndParsesBack() throws Exception {
        for (String pem : distinctValues(generator("rsa"), 3)) {
            RSAPrivateCrtKey key = (RSAPrivateCrtKey) parse(pem, "RSA");
            assertEquals(2048, key.getModulus().bitLength());
            assertEquals(65537, key.getPublicExponent().intValue());
        }
    }

    @Test
    void rsaTakesBitsAsNumberOrText() throws Exception {
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) parse(generator("rsa", "bits", "3072").generate(), "RSA");
        assertEquals(3072, key.getModulus().bitLength());
    }

    @ParameterizedTest
    @ValueSource(strings = {"P-256", "P-384", "P-521"})
    void ecKeysAreOnTheNamedCurve(String curve) throws Exception {
        for (String pem : distinctValues(generator("ec", "curve", curve), 20)) {
            ECPrivateKey key = (ECPrivateKey) parse(pem, "EC");
            assertEquals(Integer.parseInt(curve.substring(2)), key.getParams().getCurve().getField().getFieldSize());
            ASN1ObjectIdentifier oid = (ASN1ObjectIdentifier) info(pem).getPrivateKeyAlgorithm().getParameters();
            assertEquals(curve, NISTNamedCurves.getName(oid));
        }
    }

    @Test
    void ed25519KeysParseBack() throws Exception {
        for (String pem : distinctValues(generator("ed25519"), 50)) {
            assertInstanceOf(EdECPrivateKey.class, parse(pem, "Ed25519"));
            assertEquals("1.3.101.112", info(pem).getPrivateKeyAlgorithm().getAlgorithm().getId());
        }
    }

    @Test
    void pemHasPkcs8ArmourAnd64CharacterLines() {
        String pem = generator("ec").generate();
        List<String> lines = pem.lines().toList();
        assertEquals("-----BEGIN PRIVATE KEY-----", lines.get(0));
        assertEquals("-----END PRIVATE KEY-----", lines.get(lines.size() - 1));
        for (String line : lines.subList(1, lines.size() - 2)) {
            assertEquals(64, line.length());
        }
        assertTrue(lines.get(lines.size() - 2).length() <= 64);
        assertTrue(!pem.contains("\r") && !pem.endsWith("\n"));
    }

    @Test
    void policyNamesWrongAlgorithmSizeCurveAndFormat() throws Exception {
        Generator rsa3072 = generator("rsa", "bits", 3072);
        String rsa2048 = generator("rsa").generate();
        assertEquals(List.of("is a 2048-bit RSA key, the policy asks for 3072"), rsa3072.policyViolations(rsa2048));
        assertEquals(List.of("is an EC key, the policy asks for RSA"),
                rsa3072.policyViolations(generator("ec").generate()));
        assertEquals(List.of("is an Ed25519 key, the policy asks for EC"),
                generator("ec").policyViolations(generator("ed25519").generate()));
        assertEquals(List.of("is on curve P-256, the policy asks for P-384"),
                generator("ec", "curve", "P-384").policyViolations(generator("ec").generate()));
        assertEquals(List.of(), generator("rsa").policyViolations(rsa2048.replace("\n", "\r\n") + "\r\n"),
                "CRLF and a trailing newline are tolerated");

        Generator ed25519 = generator("ed25519");
        assertEquals(List.of("is not a PEM private key (-----BEGIN PRIVATE KEY----- ... -----END PRIVATE KEY-----)"),
                ed25519.policyViolations("hunter2"));
        assertEquals(List.of("is a traditional (PKCS#1/SEC 1) key, the policy asks for PKCS#8 (BEGIN PRIVATE KEY)"),
                ed25519.policyViolations("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----"));
        assertEquals(List.of("does not parse as a PKCS#8 Ed25519 private key"),
                ed25519.policyViolations("-----BEGIN PRIVATE KEY-----\n!!notbase64\n-----END PRIVATE KEY-----"));
        assertEquals(List.of("does not parse as a PKCS#8 Ed25519 private key"),
                ed25519.policyViolations("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"));
        KeyPairGenerator x25519 = KeyPairGenerator.getInstance("X25519");
        String xPem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder()
                .encodeToString(x25519.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----";
        assertEquals(List.of("is an X25519 key, the policy asks for Ed25519"), ed25519.policyViolations(xPem));
    }

    private static PrivateKey parse(String pem, String algorithm) throws Exception {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der(pem)));
    }

    private static PrivateKeyInfo info(String pem) {
        return PrivateKeyInfo.getInstance(der(pem));
    }

    private static byte[] der(String pem) {
        return Base64.getMimeDecoder().decode(pem.replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", ""));
    }
}
