package dev.rotor.github;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.rotor.testing.RotorRunner;

class SealedBoxTest {
    private final Sodium.KeyPair keys = Sodium.KeyPair.generate();

    @Test
    void libsodiumOpensRotorsBoxes() {
        for (String value : new String[] {"", "p", "postgresql://u:p@h:5432/db?sslmode=require", "ü€😀\nline two",
                "x".repeat(48 * 1024)}) {
            String box = SealedBox.sealBase64(value, keys.publicKeyBase64());
            assertEquals(value.getBytes(StandardCharsets.UTF_8).length + SealedBox.OVERHEAD, Base64.getDecoder().decode(box).length);
            assertEquals(value, keys.open(box));
        }
    }

    @Test
    void everyBoxUsesAFreshEphemeralKey() {
        String a = SealedBox.sealBase64("same", keys.publicKeyBase64());
        String b = SealedBox.sealBase64("same", keys.publicKeyBase64());
        assertNotEquals(a, b);
        assertEquals("same", keys.open(a));
        assertEquals("same", keys.open(b));
    }

    @Test
    void aTamperedBoxDoesNotOpen() {
        byte[] box = SealedBox.seal("secret value".getBytes(StandardCharsets.UTF_8), keys.publicKey());
        for (int position : new int[] {0, 31, 32, 47, 48, box.length - 1}) {
            byte[] tampered = box.clone();
            tampered[position] ^= 0x01;
            assertNull(keys.openWithLibsodium(tampered), "flipped byte " + position);
            assertNull(SealedBoxOpen.open(tampered, keys.publicKey(), keys.secretKey()), "flipped byte " + position);
        }
        assertNull(keys.openWithLibsodium(java.util.Arrays.copyOf(box, box.length - 1)));
        assertNull(Sodium.KeyPair.generate().openWithLibsodium(box), "another key pair");
    }

    @Test
    void aBoxSealedByLibsodiumOpensWithTheTestsPrivateKey() {
        byte[] message = "sealed by libsodium".getBytes(StandardCharsets.UTF_8);
        byte[] box = new byte[message.length + SealedBox.OVERHEAD];
        assertTrue(Sodium.SODIUM.cryptoBoxSeal(box, message, message.length, keys.publicKey()));
        assertArrayEquals(message, SealedBoxOpen.open(box, keys.publicKey(), keys.secretKey()));
        // and Rotor's boxes open with the same test-only opener
        assertArrayEquals(message, SealedBoxOpen.open(SealedBox.seal(message, keys.publicKey()), keys.publicKey(), keys.secretKey()));
    }

    @Test
    void aPublicKeyOfTheWrongShapeIsRefusedWithoutEchoingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SealedBox.sealBase64("v", Base64.getEncoder().encodeToString(new byte[31])));
        assertTrue(e.getMessage().contains("32 bytes"));
        assertThrows(IllegalArgumentException.class, () -> SealedBox.sealBase64("v", "not base64 !!"));
    }

    @Test
    void sealCommandReadsStdinAndPrintsTheBase64Box() {
        RotorRunner.Result sealed = RotorRunner.run("hunter2\n".getBytes(StandardCharsets.UTF_8), Map.of(),
                "seal", "--public-key", keys.publicKeyBase64());
        assertEquals(0, sealed.exit(), sealed.err());
        assertEquals("hunter2", keys.open(sealed.out().trim()));

        RotorRunner.Result kept = RotorRunner.run("a\n".getBytes(StandardCharsets.UTF_8), Map.of(),
                "seal", "--public-key", keys.publicKeyBase64(), "--keep-newline");
        assertEquals(0, kept.exit(), kept.err());
        assertEquals("a\n", keys.open(kept.out().trim()));

        RotorRunner.Result refused = RotorRunner.run(new byte[0], Map.of(), "seal", "--public-key", "AAAA");
        assertEquals(2, refused.exit());
        assertTrue(refused.err().contains("32 bytes"), refused.err());
        assertEquals("", refused.out());
    }
}
