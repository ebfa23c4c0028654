package dev.rotor.testing;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The forms a value can be printed in (design.md promise 6), computed without Rotor's {@code Encodings} so that a
 * bug there fails a test: RFC 3986 percent-encoding written out here, the JDK's Base64 and HexFormat, Jackson's
 * JSON string escaping.
 */
public final class Forms {
    private Forms() {
    }

    /** RFC 3986 percent-encoding of the UTF-8 bytes: everything but the unreserved characters, upper-case hex. */
    public static String url(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~".indexOf(c) >= 0)) {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        return out.toString();
    }

    public static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    public static String base64url(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    public static String hex(String value) {
        return HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8));
    }

    /** The inside of a JSON string (values here hold no control characters but CR, LF and tab). */
    public static String json(String value) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(value));
    }

    /** The value, and each line of a multi-line value, each raw and in every encoding. */
    public static List<String> of(String value) {
        List<String> bases = new ArrayList<>(List.of(value));
        if (value.contains("\n")) {
            value.lines().filter(line -> !line.isBlank()).map(String::strip).forEach(bases::add);
        }
        List<String> forms = new ArrayList<>();
        for (String base : bases) {
            forms.addAll(List.of(base, url(base), base64(base), base64url(base), hex(base), json(base)));
        }
        return forms;
    }
}
