package dev.rotor.manifest;

import java.util.List;

/** Key paths as messages print them: {@code secrets.db.targets[2].store}. */
final class Paths {
    private Paths() {
    }

    static String join(List<String> segments) {
        StringBuilder out = new StringBuilder();
        for (String segment : segments) {
            out.append(segment.startsWith("[") || out.length() == 0 ? segment : "." + segment);
        }
        return out.toString();
    }

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    static String item(String parent, int index) {
        return parent + "[" + index + "]";
    }
}
