package dev.rotor.manifest;

import java.util.HashMap;
import java.util.Map;

/**
 * Every node of the YAML tree by key path, with where its key is written, for messages about parts of the model.
 * Built on the first question: only a problem asks one, so a valid manifest never pays for it.
 */
final class NodeIndex {
    private final Yaml.Node root;
    private final Map<String, Yaml.Node> nodes = new HashMap<>();
    private final Map<String, Location> keys = new HashMap<>();

    NodeIndex(Yaml.Node root) {
        this.root = root;
    }

    private void build() {
        if (nodes.isEmpty()) {
            add("", root);
        }
    }

    private void add(String path, Yaml.Node node) {
        nodes.put(path, node);
        if (node instanceof Yaml.MapNode map) {
            for (Yaml.Field field : map.fields().values()) {
                String child = Paths.child(path, field.key());
                keys.put(child, field.keyLocation());
                add(child, field.value());
            }
        } else if (node instanceof Yaml.ListNode list) {
            for (int i = 0; i < list.items().size(); i++) {
                add(Paths.item(path, i), list.items().get(i));
            }
        }
    }

    Yaml.Node node(String path) {
        build();
        return nodes.get(path);
    }

    /** Where the value at {@code path} starts, else where its nearest written ancestor does. */
    Location value(String path) {
        build();
        for (String p = path; ; p = parent(p)) {
            Yaml.Node node = nodes.get(p);
            if (node != null) {
                return node.location();
            }
            if (p.isEmpty()) {
                return Location.UNKNOWN;
            }
        }
    }

    /** Where the key of {@code path} is written, else where its value starts. */
    Location key(String path) {
        build();
        Location at = keys.get(path);
        return at != null ? at : value(path);
    }

    /**
     * Where the character at {@code offset} of the string at {@code path} is: exact for plain and one-line quoted
     * scalars (escapes aside), the scalar's start for block scalars.
     */
    Location inside(String path, int offset) {
        build();
        Yaml.Node node = nodes.get(path);
        if (!(node instanceof Yaml.Scalar scalar) || scalar.text() == null || scalar.text().contains("\n")) {
            return value(path);
        }
        Location at = scalar.location();
        return switch (scalar.style()) {
            case PLAIN -> new Location(at.file(), at.line(), at.column() + offset);
            case SINGLE_QUOTED, DOUBLE_QUOTED -> new Location(at.file(), at.line(), at.column() + 1 + offset);
            case BLOCK -> at;
        };
    }

    private static String parent(String path) {
        int dot = path.lastIndexOf('.');
        int bracket = path.lastIndexOf('[');
        int cut = Math.max(dot, bracket);
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
