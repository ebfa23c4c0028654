package dev.rotor.github;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.bouncycastle.crypto.engines.Salsa20Engine;
import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.util.Pack;

/**
 * libsodium's {@code crypto_box_seal}, the format GitHub expects for secret values, composed from Bouncy Castle
 * primitives: an ephemeral X25519 key pair, nonce = BLAKE2b-192(epk || pk), and {@code crypto_box} (X25519 shared
 * secret → HSalsa20 → XSalsa20-Poly1305). Output: epk (32) || Poly1305 tag (16) || ciphertext.
 */
public final class SealedBox {
    public static final int PUBLIC_KEY_BYTES = 32;
    public static final int OVERHEAD = PUBLIC_KEY_BYTES + 16;
    private static final int[] SIGMA = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574}; // "expand 32-byte k"
    private static final SecureRandom RANDOM = new SecureRandom();

    private SealedBox() {
    }

    /** Seals {@code value} (UTF-8) for a base64 public key and returns the base64 box, as GitHub's API takes it. */
    public static String sealBase64(String value, String publicKeyBase64) {
        byte[] publicKey = decodePublicKey(publicKeyBase64);
        byte[] message = value.getBytes(StandardCharsets.UTF_8);
        try {
            return Base64.getEncoder().encodeToString(seal(message, publicKey));
        } finally {
            Arrays.fill(message, (byte) 0);
        }
    }

    /** Decodes and checks a base64 X25519 public key; the message never carries the input. */
    public static byte[] decodePublicKey(String publicKeyBase64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(publicKeyBase64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the public key is not valid base64");
        }
        if (key.length != PUBLIC_KEY_BYTES) {
            throw new IllegalArgumentException("the public key must be 32 bytes (X25519), got " + key.length);
        }
        return key;
    }

    public static byte[] seal(byte[] message, byte[] recipientPublicKey) {
        X25519PrivateKeyParameters ephemeral = new X25519PrivateKeyParameters(RANDOM);
        byte[] epk = ephemeral.generatePublicKey().getEncoded();
        byte[] shared = new byte[32];
        ephemeral.generateSecret(new X25519PublicKeyParameters(recipientPublicKey, 0), shared, 0);
        byte[] key = hsalsa20(shared);
        Arrays.fill(shared, (byte) 0);
        byte[] out = new byte[OVERHEAD + message.length];
        System.arraycopy(epk, 0, out, 0, PUBLIC_KEY_BYTES);
        secretbox(key, nonce(epk, recipientPublicKey), message, out, PUBLIC_KEY_BYTES);
        Arrays.fill(key, (byte) 0);
        return out;
    }

    /** BLAKE2b with a 24-byte output over epk || pk: the sealed box's nonce. */
    static byte[] nonce(byte[] epk, byte[] pk) {
        Blake2bDigest blake = new Blake2bDigest(192);
        blake.update(epk, 0, epk.length);
        blake.update(pk, 0, pk.length);
        byte[] nonce = new byte[24];
        blake.doFinal(nonce, 0);
        return nonce;
    }

    /**
     * {@code crypto_box_beforenm}: HSalsa20(shared, 0^16), computed with Bouncy Castle's Salsa20 core minus its
     * final feed-forward addition (as Bouncy Castle's own XSalsa20Engine derives its subkey).
     */
    static byte[] hsalsa20(byte[] shared) {
        int[] state = new int[16];
        state[0] = SIGMA[0];
        state[5] = SIGMA[1];
        state[10] = SIGMA[2];
        state[15] = SIGMA[3];
        Pack.littleEndianToInt(shared, 0, state, 1, 4);
        Pack.littleEndianToInt(shared, 16, state, 11, 4);
        // state[6..9] = the 16-byte input, all zero for crypto_box
        int[] mixed = new int[16];
        Salsa20Engine.salsaCore(20, state, mixed);
        int[] words = {0, 5, 10, 15, 6, 7, 8, 9};
        byte[] key = new byte[32];
        for (int i = 0; i < words.length; i++) {
            Pack.intToLittleEndian(mixed[words[i]] - state[words[i]], key, i * 4);
        }
        Arrays.fill(state, 0);
        Arrays.fill(mixed, 0);
        return key;
    }

    /** {@code crypto_secretbox_easy}: writes tag (16) || ciphertext at {@code out[offset..]}. */
    static void secretbox(byte[] key, byte[] nonce, byte[] message, byte[] out, int offset) {
        XSalsa20Engine stream = new XSalsa20Engine();
        stream.init(true, new ParametersWithIV(new KeyParameter(key), nonce));
        byte[] polyKey = new byte[32];
        stream.processBytes(polyKey, 0, 32, polyKey, 0);
        stream.processBytes(message, 0, message.length, out, offset + 16);
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(polyKey));
        mac.update(out, offset + 16, message.length);
        mac.doFinal(out, offset);
        Arrays.fill(polyKey, (byte) 0);
    }
}
