package dev.rotor.github;

import java.security.MessageDigest;
import java.util.Arrays;

import org.bouncycastle.crypto.engines.XSalsa20Engine;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

/** Test-only {@code crypto_box_seal_open} on Bouncy Castle primitives (GitHub holds the private key, Rotor never opens). */
public final class SealedBoxOpen {
    private SealedBoxOpen() {
    }

    /** The message, or null when the box does not open with this key pair (tampered, or another key). */
    public static byte[] open(byte[] box, byte[] publicKey, byte[] secretKey) {
        if (box.length < SealedBox.OVERHEAD) {
            return null;
        }
        byte[] epk = Arrays.copyOfRange(box, 0, 32);
        byte[] shared = new byte[32];
        new X25519PrivateKeyParameters(secretKey, 0).generateSecret(new X25519PublicKeyParameters(epk, 0), shared, 0);
        byte[] key = SealedBox.hsalsa20(shared);
        XSalsa20Engine stream = new XSalsa20Engine();
        stream.init(false, new ParametersWithIV(new KeyParameter(key), SealedBox.nonce(epk, publicKey)));
        byte[] polyKey = new byte[32];
        stream.processBytes(polyKey, 0, 32, polyKey, 0);
        int length = box.length - SealedBox.OVERHEAD;
        Poly1305 mac = new Poly1305();
        mac.init(new KeyParameter(polyKey));
        mac.update(box, SealedBox.OVERHEAD, length);
        byte[] tag = new byte[16];
        mac.doFinal(tag, 0);
        if (!MessageDigest.isEqual(tag, Arrays.copyOfRange(box, 32, 48))) {
            return null;
        }
        byte[] message = new byte[length];
        stream.processBytes(box, SealedBox.OVERHEAD, length, message, 0);
        return message;
    }
}
