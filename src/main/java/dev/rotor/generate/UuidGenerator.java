package dev.rotor.generate;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** {@code uuid}: a random (version 4, RFC 9562) UUID in its lower-case 36-character form. */
final class UuidGenerator implements Generator {
    private static final Pattern V4 = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", Pattern.CASE_INSENSITIVE);

    static final GeneratorType TYPE = new GeneratorType("uuid", List.of(),
            (options, context) -> new UuidGenerator(context.random()));

    private final SecureRandom random;

    @Override
    public java.util.OptionalInt maxLength() {
        return java.util.OptionalInt.of(36);
    }

    private UuidGenerator(SecureRandom random) {
        this.random = random;
    }

    @Override
    public String generate() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new UUID(buffer.getLong(), buffer.getLong()).toString();
    }

    @Override
    public List<String> policyViolations(String value) {
        return V4.matcher(value).matches() ? List.of() : List.of("is not a version-4 UUID");
    }
}
