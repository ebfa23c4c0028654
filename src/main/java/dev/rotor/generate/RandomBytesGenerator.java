package dev.rotor.generate;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bytes}: {@code length} random bytes in {@code encoding} (the {@code openssl rand -base64 N} of runbooks).
 * Also serves {@code jwt-hmac}, whose policy asks for at least, not exactly, the key size.
 */
final class RandomBytesGenerator implements Generator {
    static final Option<Integer> LENGTH = Option.integer("length", 32, 16, 8192);
    static final Option<String> ENCODING = Option.oneOf("encoding", "base64", ByteEncoding.NAMES);

    static final GeneratorType TYPE = new GeneratorType("bytes", List.of(LENGTH, ENCODING),
            (options, context) -> new RandomBytesGenerator(options.get(LENGTH), true,
                    ByteEncoding.of(options.get(ENCODING)), context.random()));

    private final int length;
    private final boolean exact;
    private final ByteEncoding encoding;
    private final SecureRandom random;

    /** {@code exact}: the policy asks for exactly {@code length} bytes, else for at least that many. */
    RandomBytesGenerator(int length, boolean exact, ByteEncoding encoding, SecureRandom random) {
        this.length = length;
        this.exact = exact;
        this.encoding = encoding;
        this.random = random;
    }

    @Override
    public java.util.OptionalInt maxLength() {
        return java.util.OptionalInt.of(encoding.encode(new byte[length]).length());
    }

    @Override
    public String generate() {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        String text = encoding.encode(bytes);
        Arrays.fill(bytes, (byte) 0);
        return text;
    }

    @Override
    public List<String> policyViolations(String value) {
        List<String> violations = new ArrayList<>();
        byte[] bytes;
        try {
            bytes = encoding.decode(value);
        } catch (IllegalArgumentException notEncoded) {
            violations.add("is not valid " + encoding.label());
            return violations;
        }
        if (exact ? bytes.length != length : bytes.length < length) {
            violations.add("decodes to " + bytes.length + " bytes, the policy asks for "
                    + (exact ? "" : "at least ") + length);
        }
        Arrays.fill(bytes, (byte) 0);
        return violations;
    }
}
