package dev.rotor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.testing.MutableClock;
import dev.rotor.testing.RotorRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * keyset (runbook 003 §3): versioned signing keys in a store, the active key id, and the published key set; the
 * previous version stays for the grace (the token lifetime) and a later run deletes it, at once in an emergency.
 */
class KeysetRotationTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-30T10:00:00Z"));

    private RotorRunner.Result rotor(String... args) {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--manifest", dir.resolve("rotation.yml").toString()));
        return RotorRunner.run(Map.of(), clock, StepHook.NONE, full.toArray(String[]::new));
    }

    private void manifest(String generate) throws IOException {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  jwt: { type: files, directory: jwt-keys }
                  app-env: { type: dotenv, path: app.env }
                secrets:
                  jwt-signing:
                    generate: %s
                    max-age: 90d
                    strategy: keyset
                    key-id: "jwt-secret-v{n}"
                    grace: 15m
                    targets:
                      - { store: jwt, name: "${secret.kid}" }
                      - { store: jwt, name: active-key, value: "${secret.kid}" }
                      - { store: app-env, name: JWT_KEYS, value: "${secret.keys.base64}" }
                """.formatted(generate));
    }

    private String file(String name) throws IOException {
        return Files.readString(dir.resolve("jwt-keys").resolve(name));
    }

    private boolean exists(String name) {
        return Files.exists(dir.resolve("jwt-keys").resolve(name));
    }

    private Map<String, String> publishedKeys() throws IOException {
        String line = Files.readAllLines(dir.resolve("app.env")).stream().filter(l -> l.startsWith("JWT_KEYS="))
                .findFirst().orElseThrow();
        String json = new String(Base64.getDecoder().decode(line.substring("JWT_KEYS=".length())), StandardCharsets.UTF_8);
        Map<String, String> keys = new java.util.LinkedHashMap<>();
        new ObjectMapper().readTree(json).fields().forEachRemaining(e -> keys.put(e.getKey(), e.getValue().asText()));
        return keys;
    }

    @Test
    void aRotationAddsTheNextVersionAndALaterRunDeletesThePreviousAfterTheGrace() throws IOException {
        manifest("{ type: jwt-hmac }");
        Files.createDirectories(dir.resolve("jwt-keys"));
        Files.writeString(dir.resolve("jwt-keys/jwt-secret-v1"), "the-runbooks-first-key-0123456789abcdef");
        Files.writeString(dir.resolve("jwt-keys/active-key"), "jwt-secret-v1");

        RotorRunner.Result first = rotor("rotate");
        assertEquals(0, first.exit(), first.err());
        assertEquals("jwt-secret-v2", file("active-key"), "Rotor took over at v1 and made v2");
        assertEquals("the-runbooks-first-key-0123456789abcdef", file("jwt-secret-v1"), "v1 stays through the grace");
        String v2 = file("jwt-secret-v2");
        assertEquals(List.of("jwt-secret-v1", "jwt-secret-v2"), List.copyOf(publishedKeys().keySet()));
        assertEquals(v2, publishedKeys().get("jwt-secret-v2"));
        assertTrue(first.err().contains("kid jwt-secret-v1 keeps working until 2026-11-30T10:15:00Z (grace 15m)"),
                first.err());
        RotorRunner.Result status = rotor("status");
        assertTrue(status.out().contains("jwt:jwt-secret-v2: updated"), "status reads the current version's entry: "
                + status.out());

        clock.advance(Duration.ofMinutes(16));
        RotorRunner.Result later = rotor("rotate", "--only-due");
        assertEquals(0, later.exit(), later.err());
        assertFalse(exists("jwt-secret-v1"), "deleted after the grace by a run with nothing due");
        assertEquals(v2, file("jwt-secret-v2"));
        assertEquals(Map.of("jwt-secret-v2", v2), publishedKeys(), "the key set no longer publishes v1");
        assertTrue(later.out().contains("removed kid jwt-secret-v1"), later.out());
        assertFalse(later.all().contains(v2));
    }

    @Test
    void anEmergencyDeletesTheCompromisedKeyInTheSameRun() throws IOException {
        manifest("{ type: jwt-hmac }");
        assertEquals(0, rotor("rotate").exit());
        assertEquals("jwt-secret-v1", file("active-key"));
        String v1 = file("jwt-secret-v1");

        RotorRunner.Result emergency = rotor("rotate", "--emergency", "--reason", "INC-9 key leaked");
        assertEquals(0, emergency.exit(), emergency.err());
        assertEquals("jwt-secret-v2", file("active-key"));
        assertFalse(exists("jwt-secret-v1"), "no grace in an emergency");
        assertFalse(publishedKeys().containsValue(v1));
        assertTrue(emergency.out().contains("removed kid jwt-secret-v1 (replaced by run"), emergency.out());
        assertTrue(emergency.out().contains("at once (emergency)"), emergency.out());
    }

    @Test
    void theJwksPublishesEveryLiveVersionsPublicKeyWhichVerifiesItsSignature() throws Exception {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  jwt: { type: files, directory: jwt-keys }
                secrets:
                  jwt-signing:
                    generate: { type: ed25519 }
                    strategy: keyset
                    grace: 15m
                    targets:
                      - { store: jwt, name: "${secret.kid}.pem" }
                      - { store: jwt, name: jwks.json, value: "${secret.jwks}" }
                """);
        assertEquals(0, rotor("rotate").exit());
        RotorRunner.Result second = rotor("rotate");
        assertEquals(0, second.exit(), second.err());
        JsonNode keys = new ObjectMapper().readTree(file("jwks.json")).get("keys");
        assertEquals(2, keys.size());
        for (int v = 1; v <= 2; v++) {
            JsonNode jwk = keys.get(v - 1);
            assertEquals("jwt-signing-v" + v, jwk.get("kid").asText());
            assertEquals("OKP", jwk.get("kty").asText());
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
                    Base64.getMimeDecoder().decode(file("jwt-signing-v" + v + ".pem")
                            .replaceAll("-----[A-Z ]+-----", ""))));
            byte[] x = Base64.getUrlDecoder().decode(jwk.get("x").asText());
            PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                    new BigInteger("302a300506032b6570032100" + HexFormat.of().formatHex(x), 16).toByteArray()));
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update("token".getBytes(StandardCharsets.UTF_8));
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update("token".getBytes(StandardCharsets.UTF_8));
            assertTrue(verifier.verify(signature), "the JWKS entry of v" + v + " verifies its key's signature");
        }
    }

    @Test
    void validateRefusesAJwksOfSymmetricKeysAndAVersionEntryInAStoreThatCannotDelete() throws IOException {
        Files.writeString(dir.resolve("rotation.yml"), """
                version: 1
                stores:
                  jwt: { type: files, directory: jwt-keys }
                  gh: { type: github, repository: acme/app, token: "${env:GITHUB_TOKEN}" }
                  blob: { type: azure-blob, account: acme, container: journal }
                secrets:
                  jwt-signing:
                    generate: { type: jwt-hmac }
                    strategy: keyset
                    targets:
                      - { store: jwt, name: jwks.json, value: "${secret.jwks}" }
                      - { store: blob, name: "${secret.kid}" }
                """);
        RotorRunner.Result invalid = rotor("validate");
        assertEquals(2, invalid.exit(), invalid.all());
        assertTrue(invalid.err().contains(":11:47: error: secrets.jwt-signing.targets[0].value: ${secret.jwks} publishes "
                + "public keys, and a 'jwt-hmac' key has none"), invalid.err());
        assertTrue(invalid.err().contains("secrets.jwt-signing.targets[1].name: store 'blob' (type azure-blob) cannot "
                + "delete one entry"), invalid.err());
    }
}
