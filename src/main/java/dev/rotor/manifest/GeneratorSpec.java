package dev.rotor.manifest;

import java.util.Map;

/** {@code generate:} of a secret: {@code type} (password, bytes, uuid, rsa, ec, ed25519, jwt-hmac, provided) and its options. */
public record GeneratorSpec(String type, Map<String, Object> options, Location location) {
}
