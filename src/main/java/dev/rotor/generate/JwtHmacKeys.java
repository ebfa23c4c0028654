package dev.rotor.generate;

import java.util.List;
import java.util.Map;

/** {@code jwt-hmac}: a random HMAC key as long as the hash (RFC 7518 section 3.2), base64url without padding. */
final class JwtHmacKeys {
    private static final Map<String, Integer> KEY_BYTES = Map.of("HS256", 32, "HS384", 48, "HS512", 64);

    static final Option<String> ALGORITHM = Option.oneOf("algorithm", "HS256", List.of("HS256", "HS384", "HS512"));

    static final GeneratorType TYPE = new GeneratorType("jwt-hmac", List.of(ALGORITHM),
            (options, context) -> new RandomBytesGenerator(KEY_BYTES.get(options.get(ALGORITHM)), false,
                    ByteEncoding.BASE64URL, context.random()));

    private JwtHmacKeys() {
    }
}
