package dev.rotor.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;

import static dev.rotor.generate.Specs.generator;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jwks: every JWK is turned back into a public key here, without Jwks or Bouncy Castle, and must verify a signature
 * made with the private key it came from.
 */
class JwksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] MESSAGE = "header.payload".getBytes(StandardCharsets.US_ASCII);
    /** The SubjectPublicKeyInfo DER of an Ed25519 key up to its 32 key bytes (RFC 8410 section 4). */
    private static final String ED25519_SPKI_PREFIX = "302a300506032b6570032100";

    @Test
    void rsaKeyHasExactlyItsMembersInOrder() throws Exception {
        KeyPair pair = keyPair("RSA", 2048);
        BigInteger modulus = ((RSAPublicKey) pair.getPublic()).getModulus();
        byte[] unsigned = modulus.toByteArray();
        if (unsigned[0] == 0) { // a 2048-bit modulus has its top bit set: BigInteger prepends a sign byte
            unsigned = Arrays.copyOfRange(unsigned, 1, unsigned.length);
        }
        assertEquals(256, unsigned.length);
        String n = Base64.getUrlEncoder().withoutPadding().encodeToString(unsigned);

        String jwks = Jwks.publicKeys(map("signing-v1", pem(pair.getPrivate())));

        assertEquals("{\"keys\":[{\"kid\":\"signing-v1\",\"kty\":\"RSA\",\"use\":\"sig\",\"alg\":\"RS256\",\"n\":\""
                + n + "\",\"e\":\"AQAB\"}]}", jwks);
        assertVerifies(pair.getPrivate(), "SHA256withRSA", rsaPublicKey(onlyKey(jwks)));
    }

    @ParameterizedTest
    @CsvSource({"P-256, secp256r1, ES256, SHA256withECDSA, 32",
                "P-384, secp384r1, ES384, SHA384withECDSA, 48",
                "P-521, secp521r1, ES512, SHA512withECDSA, 66"})
    void ecKeyGivesThePublicPointOfItsCurve(String crv, String jdkCurve, String alg, String signature, int length)
            throws Exception {
        KeyPair pair = ecKeyPair(jdkCurve);
        JsonNode jwk = onlyKey(Jwks.publicKeys(map("ec", pem(pair.getPrivate()))));

        assertEquals(List.of("kid", "kty", "use", "alg", "crv", "x", "y"), memberNames(jwk));
        assertEquals("EC", jwk.get("kty").asText());
        assertEquals("sig", jwk.get("use").asText());
        assertEquals(alg, jwk.get("alg").asText());
        assertEquals(crv, jwk.get("crv").asText());
        assertEquals(length, base64url(jwk, "x").length);
        assertEquals(length, base64url(jwk, "y").length);
        ECPublicKey expected = (ECPublicKey) pair.getPublic();
        PublicKey rebuilt = ecPublicKey(jwk, expected.getParams());
        assertEquals(expected.getW(), ((ECPublicKey) rebuilt).getW());
        assertVerifies(pair.getPrivate(), signature, rebuilt);
    }

    /** A P-521 x with a zero top octet (half of all keys) must keep it: coordinates have the field's length. */
    @Test
    void ecCoordinatesKeepLeadingZeroOctets() throws Exception {
        KeyPair pair;
        do {
            pair = ecKeyPair("secp521r1");
        } while (((ECPublicKey) pair.getPublic()).getW().getAffineX().bitLength() > 512);

        JsonNode jwk = onlyKey(Jwks.publicKeys(map("ec", pem(pair.getPrivate()))));

        byte[] x = base64url(jwk, "x");
        assertEquals(66, x.length);
        assertEquals(0, x[0]);
        ECParameterSpec p521 = ((ECPublicKey) pair.getPublic()).getParams();
        assertVerifies(pair.getPrivate(), "SHA512withECDSA", ecPublicKey(jwk, p521));
    }

    @Test
    void ed25519KeyIsAnOkpWithItsPublicBytes() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        JsonNode jwk = onlyKey(Jwks.publicKeys(map("ed", pem(pair.getPrivate()))));

        assertEquals(List.of("kid", "kty", "use", "alg", "crv", "x"), memberNames(jwk));
        assertEquals("OKP", jwk.get("kty").asText());
        assertEquals("sig", jwk.get("use").asText());
        assertEquals("EdDSA", jwk.get("alg").asText());
        assertEquals("Ed25519", jwk.get("crv").asText());
        PublicKey rebuilt = ed25519PublicKey(jwk);
        assertArrayEquals(pair.getPublic().getEncoded(), rebuilt.getEncoded());
        assertVerifies(pair.getPrivate(), "Ed25519", rebuilt);
    }

    /** The keys Rotor's own generators write (armor, 64-column lines, no final newline) go through as well. */
    @Test
    void keysFromRotorsGeneratorsVerify() throws Exception {
        LinkedHashMap<String, String> pems = new LinkedHashMap<>();
        pems.put("rsa", generator("rsa").generate());
        pems.put("ec", generator("ec", "curve", "P-384").generate());
        pems.put("ed", generator("ed25519").generate());

        JsonNode keys = JSON.readTree(Jwks.publicKeys(pems)).get("keys");

        assertEquals(3, keys.size());
        assertVerifies(jdkPrivateKey(pems.get("rsa"), "RSA"), "SHA256withRSA", rsaPublicKey(keys.get(0)));
        ECParameterSpec p384 = ((ECPublicKey) ecKeyPair("secp384r1").getPublic()).getParams();
        assertVerifies(jdkPrivateKey(pems.get("ec"), "EC"), "SHA384withECDSA", ecPublicKey(keys.get(1), p384));
        assertVerifies(jdkPrivateKey(pems.get("ed"), "Ed25519"), "Ed25519", ed25519PublicKey(keys.get(2)));
    }

    @Test
    void keysFollowTheMapsOrder() throws Exception {
        LinkedHashMap<String, String> pems = new LinkedHashMap<>();
        pems.put("v3", pem(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate()));
        pems.put("v1", pem(keyPair("RSA", 2048).getPrivate()));
        pems.put("v2", pem(ecKeyPair("secp256r1").getPrivate()));

        JsonNode keys = JSON.readTree(Jwks.publicKeys(pems)).get("keys");

        List<String> kidsAndAlgs = new ArrayList<>();
        keys.forEach(key -> kidsAndAlgs.add(key.get("kid").asText() + " " + key.get("alg").asText()));
        assertEquals(List.of("v3 EdDSA", "v1 RS256", "v2 ES256"), kidsAndAlgs);
    }

    @Test
    void noKeysIsAnEmptySet() {
        assertEquals("{\"keys\":[]}", Jwks.publicKeys(new LinkedHashMap<>()));
    }

    @Test
    void hmacKeyIsRefusedNamingOnlyTheKid() throws Exception {
        String hmac = generator("jwt-hmac").generate();
        LinkedHashMap<String, String> pems = map("signing-v1", pem(keyPair("RSA", 2048).getPrivate()));
        pems.put("hmac-v2", hmac);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> Jwks.publicKeys(pems));

        assertEquals("JWKS key 'hmac-v2' is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)",
                refused.getMessage());
        assertFalse(refused.getMessage().contains(hmac));
        assertEquals(null, refused.getCause());
    }

    /** X25519 is a PKCS#8 private key too, but it agrees keys and cannot sign. */
    @Test
    void keyAgreementKeyIsRefused() throws Exception {
        String x25519 = pem(KeyPairGenerator.getInstance("X25519").generateKeyPair().getPrivate());

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Jwks.publicKeys(map("dh", x25519)));

        assertEquals("JWKS key 'dh' is not an RSA (with CRT values), EC or Ed25519 private key", refused.getMessage());
    }

    @Test
    void publicKeyPemIsRefused() throws Exception {
        String publicPem = pem(keyPair("RSA", 2048).getPublic().getEncoded(), "PUBLIC KEY");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Jwks.publicKeys(map("pub", publicPem)));

        assertEquals("JWKS key 'pub' is not a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----)",
                refused.getMessage());
    }

    @Test
    void corruptKeyIsRefusedWithoutItsText() throws Exception {
        String body = "MIIBVAIBADANBgkqhkiG9w0BAQEFAASCAT4wggE6AgEAAkEA";
        String corrupt = "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----";

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> Jwks.publicKeys(map("broken", corrupt)));

        assertEquals("JWKS key 'broken' does not parse as a PKCS#8 private key", refused.getMessage());
        assertEquals(null, refused.getCause());
    }

    private static LinkedHashMap<String, String> map(String kid, String pem) {
        LinkedHashMap<String, String> map = new LinkedHashMap<>();
        map.put(kid, pem);
        return map;
    }

    private static KeyPair keyPair(String algorithm, int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
        generator.initialize(bits);
        return generator.generateKeyPair();
    }

    private static KeyPair ecKeyPair(String jdkCurve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(jdkCurve));
        return generator.generateKeyPair();
    }

    private static String pem(PrivateKey key) {
        return pem(key.getEncoded(), "PRIVATE KEY");
    }

    private static String pem(byte[] der, String type) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static PrivateKey jdkPrivateKey(String pem, String algorithm) throws Exception {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = Base64.getDecoder().decode(body);
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }

    private static JsonNode onlyKey(String jwks) throws Exception {
        JsonNode keys = JSON.readTree(jwks).get("keys");
        assertEquals(1, keys.size());
        return keys.get(0);
    }

    private static List<String> memberNames(JsonNode jwk) {
        List<String> names = new ArrayList<>();
        jwk.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Strict base64url without padding, as RFC 7515 section 2 requires. */
    private static byte[] base64url(JsonNode jwk, String member) {
        String text = jwk.get(member).asText();
        assertTrue(text.matches("[A-Za-z0-9_-]+"), member + " is not unpadded base64url");
        return Base64.getUrlDecoder().decode(text);
    }

    private static PublicKey rsaPublicKey(JsonNode jwk) throws Exception {
        return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, base64url(jwk, "n")), new BigInteger(1, base64url(jwk, "e"))));
    }

    private static PublicKey ecPublicKey(JsonNode jwk, ECParameterSpec curve) throws Exception {
        ECPoint w = new ECPoint(new BigInteger(1, base64url(jwk, "x")), new BigInteger(1, base64url(jwk, "y")));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, curve));
    }

    private static PublicKey ed25519PublicKey(JsonNode jwk) throws Exception {
        byte[] x = base64url(jwk, "x");
        assertEquals(32, x.length);
        byte[] prefix = HexFormat.of().parseHex(ED25519_SPKI_PREFIX);
        byte[] spki = Arrays.copyOf(prefix, prefix.length + x.length);
        System.arraycopy(x, 0, spki, prefix.length, x.length);
        return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    }

    private static void assertVerifies(PrivateKey privateKey, String algorithm, PublicKey publicKey) throws Exception {
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(privateKey);
        signer.update(MESSAGE);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(MESSAGE);
        assertTrue(verifier.verify(signature), algorithm + " signature does not verify with the JWK's public key");
    }
}
