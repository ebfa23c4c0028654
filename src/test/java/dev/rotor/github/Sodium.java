package dev.rotor.github;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.goterl.lazysodium.LazySodiumJava;
import com.goterl.lazysodium.SodiumJava;

/** libsodium itself (lazysodium's bundled native library): the independent implementation tests check against. */
public final class Sodium {
    public static final LazySodiumJava SODIUM = new LazySodiumJava(new SodiumJava());

    /** An X25519 key pair, as GitHub holds one per secrets scope. */
    public record KeyPair(byte[] publicKey, byte[] secretKey) {
        public static KeyPair generate() {
            byte[] pk = new byte[32];
            byte[] sk = new byte[32];
            if (!SODIUM.cryptoBoxKeypair(pk, sk)) {
                throw new IllegalStateException("crypto_box_keypair failed");
            }
            return new KeyPair(pk, sk);
        }

        public String publicKeyBase64() {
            return Base64.getEncoder().encodeToString(publicKey);
        }

        /** Opens a box with libsodium's crypto_box_seal_open; null when it does not open. */
        public byte[] openWithLibsodium(byte[] box) {
            byte[] message = new byte[Math.max(0, box.length - SealedBox.OVERHEAD)];
            return box.length >= SealedBox.OVERHEAD && SODIUM.cryptoBoxSealOpen(message, box, box.length, publicKey, secretKey)
                    ? message : null;
        }

        /** Opens a base64 box as GitHub does, or fails the test. */
        public String open(String base64Box) {
            byte[] message = openWithLibsodium(Base64.getDecoder().decode(base64Box));
            if (message == null) {
                throw new AssertionError("the sealed box does not open with libsodium");
            }
            return new String(message, StandardCharsets.UTF_8);
        }
    }

    private Sodium() {
    }
}
