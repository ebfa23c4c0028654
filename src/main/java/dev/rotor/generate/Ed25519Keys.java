package dev.rotor.generate;

import java.security.spec.NamedParameterSpec;
import java.util.List;

/** {@code ed25519}: an Ed25519 private key (RFC 8410). */
final class Ed25519Keys {
    static final GeneratorType TYPE = new GeneratorType("ed25519", List.of(), (options, context) ->
            new PrivateKeyGenerator("Ed25519", NamedParameterSpec.ED25519, 48, context.random(),
                    (info, key, violations) -> { }));

    private Ed25519Keys() {
    }
}
