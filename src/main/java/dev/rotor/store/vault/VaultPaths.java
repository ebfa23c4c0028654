package dev.rotor.store.vault;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** KV secret paths: checked (no empty or dot segments) and percent-encoded segment by segment for URLs. */
final class VaultPaths {
    private VaultPaths() {
    }

    static boolean valid(String path) {
        if (path == null || path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            return false;
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.chars().anyMatch(c -> c < 0x20)) {
                return false;
            }
        }
        return true;
    }

    /** {@code a b/c} gives {@code a%20b/c}. */
    static String encode(String path) {
        StringBuilder out = new StringBuilder();
        for (String segment : path.split("/", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return out.toString();
    }
}
