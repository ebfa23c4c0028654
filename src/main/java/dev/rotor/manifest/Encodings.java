package dev.rotor.manifest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The forms a value can be rendered in ({@code ${secret.url}}...); the masker announces every one of them. */
public final class Encodings {
    private static final Map<String, UnaryOperator<String>> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("url", Encodings::percentEncode);
        BY_NAME.put("base64", v -> Base64.getEncoder().encodeToString(bytes(v)));
        BY_NAME.put("base64url", v -> Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(v)));
        BY_NAME.put("hex", v -> HexFormat.of().formatHex(bytes(v)));
        BY_NAME.put("json", Encodings::jsonEscape);
    }

    private Encodings() {
    }

    public static boolean exists(String name) {
        return BY_NAME.containsKey(name);
    }

    public static java.util.Set<String> names() {
        return BY_NAME.keySet();
    }

    public static String encode(String name, String value) {
        UnaryOperator<String> encoding = BY_NAME.get(name);
        if (encoding == null) {
            throw new IllegalArgumentException("unknown encoding " + name);
        }
        return encoding.apply(value);
    }

    /** RFC 3986: everything but unreserved characters is percent-encoded, so the result is safe in userinfo. */
    static String percentEncode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A")
                .replace("%7E", "~");
    }

    static String jsonEscape(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '/' -> out.append('/');
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
