package dev.rotor.generate;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/** How random bytes become text. Decoding is strict apart from line breaks (openssl wraps base64 at 64 columns). */
enum ByteEncoding {
    /** RFC 4648 section 4 with padding, as {@code openssl rand -base64 N} prints it (on one line). */
    BASE64,
    /** RFC 4648 section 5 without padding (JWK/JWS style); padding is accepted when checking. */
    BASE64URL,
    /** Lower-case hexadecimal, as {@code openssl rand -hex N}; either case is accepted when checking. */
    HEX;

    static final List<String> NAMES = List.of("base64", "base64url", "hex");

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static ByteEncoding of(String label) {
        return valueOf(label.toUpperCase(Locale.ROOT));
    }

    String encode(byte[] bytes) {
        return switch (this) {
            case BASE64 -> Base64.getEncoder().encodeToString(bytes);
            case BASE64URL -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            case HEX -> HexFormat.of().formatHex(bytes);
        };
    }

    /** @throws IllegalArgumentException when {@code text} is not in this encoding */
    byte[] decode(String text) {
        String joined = text.strip().replace("\r", "").replace("\n", "");
        return switch (this) {
            case BASE64 -> Base64.getDecoder().decode(joined);
            case BASE64URL -> Base64.getUrlDecoder().decode(joined);
            case HEX -> HexFormat.of().parseHex(joined);
        };
    }
}
