package dev.rotor.generate;

import java.security.interfaces.RSAPrivateKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.List;

/** {@code rsa}: an RSA private key of {@code bits} (2048, 3072, 4096; public exponent 65537). */
final class RsaKeys {
    static final Option<Integer> BITS = Option.integerOneOf("bits", 2048, List.of(2048, 3072, 4096));

    static final GeneratorType TYPE = new GeneratorType("rsa", List.of(BITS), (options, context) -> {
        int bits = options.get(BITS);
        // PKCS#8 RSA: modulus, exponents, primes and CRT values come to about 9/16 of a byte per bit, plus headers.
        return new PrivateKeyGenerator("RSA", new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4),
                bits / 16 * 9 + 128, context.random(), (info, key, violations) -> {
                    int found = ((RSAPrivateKey) key).getModulus().bitLength();
                    if (found != bits) {
                        violations.add("is a " + found + "-bit RSA key, the policy asks for " + bits);
                    }
                });
    });

    private RsaKeys() {
    }
}
