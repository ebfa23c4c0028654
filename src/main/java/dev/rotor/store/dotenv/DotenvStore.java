package dev.rotor.store.dotenv;

import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.LocalFiles;
import dev.rotor.store.Store;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code KEY=value} line per target in a .env file. A write replaces that key's line (or appends one) and
 * rewrites the file atomically; every other line, comment and blank line stays byte for byte. Values that need
 * it are double-quoted with {@code \n}, {@code \"} and {@code \\} escapes.
 */
final class DotenvStore implements Store {
    static final Set<Capability> CAPABILITIES = Set.of(Capability.READABLE, Capability.UPDATED_AT, Capability.LOCAL);

    private final String storeName;
    private final Path file;
    private final String mode;

    DotenvStore(String storeName, Path file, String mode) {
        this.storeName = storeName;
        this.file = file;
        this.mode = mode;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public void preflight(List<Address> addresses) {
        LocalFiles.checkWritableDirectory(file.toAbsolutePath().getParent(), storeName);
    }

    @Override
    public Optional<Stored> read(Address address) {
        List<String> lines = lines();
        int index = indexOf(lines, address.name());
        if (index < 0) {
            return Optional.empty();
        }
        return Optional.of(new Stored(unquote(lines.get(index).substring(lines.get(index).indexOf('=') + 1)), null,
                LocalFiles.modified(file)));
    }

    @Override
    public Written write(Address address, String value) {
        List<String> lines = lines();
        String line = address.name() + "=" + quote(value);
        int index = indexOf(lines, address.name());
        if (index >= 0 && lines.get(index).equals(line)) {
            return new Written(null, false);
        }
        if (index >= 0) {
            lines.set(index, line);
        } else {
            lines.add(line);
        }
        LocalFiles.writeAtomically(file, String.join("\n", lines) + "\n", mode);
        return new Written(null, true);
    }

    private List<String> lines() {
        String content = LocalFiles.read(file).orElse("");
        List<String> lines = new ArrayList<>(List.of(content.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    private static int indexOf(List<String> lines, String key) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).stripLeading();
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).stripLeading();
            }
            if (line.startsWith(key + "=") || line.startsWith(key + " =")) {
                return i;
            }
        }
        return -1;
    }

    static String quote(String value) {
        boolean plain = !value.isEmpty() && value.chars().allMatch(c -> c > ' ' && c != '"' && c != '\'' && c != '#'
                && c != '\\' && c != '$' && c != '`' && c < 127);
        if (plain) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$").replace("`", "\\`")
                .replace("\n", "\\n").replace("\r", "\\r") + '"';
    }

    static String unquote(String raw) {
        String text = raw.strip();
        if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
            return text.substring(1, text.length() - 1);
        }
        if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
            StringBuilder out = new StringBuilder();
            for (int i = 1; i < text.length() - 1; i++) {
                char c = text.charAt(i);
                if (c == '\\' && i + 1 < text.length() - 1) {
                    char next = text.charAt(++i);
                    out.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
        int comment = text.indexOf(" #");
        return comment >= 0 ? text.substring(0, comment).strip() : text;
    }
}
