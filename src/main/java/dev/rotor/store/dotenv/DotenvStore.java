package dev.rotor.store.dotenv;

import dev.rotor.generate.DotEnv;
import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.LocalFiles;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * {@code KEY=value} lines in a .env file, in {@link DotEnv}'s syntax. A read takes the key's last line, as a shell
 * that sources the file does; a write replaces every line of the key (keeping {@code export} and a CRLF line's CR,
 * so every reader agrees) or appends one, and rewrites the file atomically; every other line, comment and blank
 * line stays byte for byte; a delete removes every line of the key the same way. The read-modify-write holds
 * {@code .NAME.lock} beside the (real) file, across processes: two runs writing different keys of one file both land.
 */
final class DotenvStore implements Store {
    static final Set<Capability> CAPABILITIES = Set.of(Capability.READABLE, Capability.UPDATED_AT, Capability.DELETE,
            Capability.LOCAL);

    private final String storeName;
    private final Path file;
    private final String mode;

    DotenvStore(String storeName, Path file, String mode) {
        this.storeName = storeName;
        this.file = file.toAbsolutePath();
        this.mode = mode;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public void preflight(List<Address> addresses) {
        LocalFiles.checkWritableDirectory(file.getParent(), storeName);
        // A file that cannot be rewritten safely is refused before anything anywhere is written.
        lines(realFile());
    }

    @Override
    public Optional<Stored> read(Address address) {
        Path real = realFile();
        return DotEnv.lookup(lines(real), address.name()).map(value -> new Stored(value, null, LocalFiles.modified(real)));
    }

    @Override
    public Written write(Address address, String value) {
        boolean changed = edit(lines -> {
            boolean replaced = false;
            boolean found = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (address.name().equals(DotEnv.keyOf(line))) {
                    found = true;
                    String replacement = DotEnv.assignment(address.name(), value, DotEnv.isExported(line))
                            + (line.endsWith("\r") ? "\r" : "");
                    replaced |= !replacement.equals(line);
                    lines.set(i, replacement);
                }
            }
            if (!found) {
                boolean crlf = !lines.isEmpty() && lines.get(lines.size() - 1).endsWith("\r");
                lines.add(DotEnv.assignment(address.name(), value, false) + (crlf ? "\r" : ""));
            }
            return replaced || !found;
        });
        return new Written(null, changed);
    }

    /** Removes every line of the key (a shell would read an earlier one once the last is gone). */
    @Override
    public void delete(Address address) {
        edit(lines -> lines.removeIf(line -> address.name().equals(DotEnv.keyOf(line))));
    }

    /**
     * The read-modify-write of the file under {@code .NAME.lock}: {@code change} edits the lines and says whether it
     * changed any; only then is the file rewritten, atomically.
     */
    private boolean edit(Predicate<List<String>> change) {
        Path real = realFile();
        return LocalFiles.locked(real.resolveSibling("." + real.getFileName() + ".lock"), () -> {
            String content = content(real);
            List<String> lines = lines(real, content);
            String lastLine = lines.isEmpty() ? null : lines.get(lines.size() - 1);
            boolean changed = change.test(lines);
            if (changed) {
                // A last line the file left without a newline stays so when it is still last: byte for byte.
                boolean unterminated = !content.isEmpty() && !content.endsWith("\n") && !lines.isEmpty()
                        && lines.get(lines.size() - 1).equals(lastLine);
                LocalFiles.writeAtomically(real, String.join("\n", lines) + (unterminated ? "" : "\n"), mode);
            }
            return changed;
        });
    }

    /** The file itself, or where its symbolic link leads inside the file's own directory. */
    private Path realFile() {
        return LocalFiles.realFileInside(file, file.getParent(), storeName);
    }

    /** The file's text ("" when it does not exist yet); a directory or unreadable text is refused, saying why. */
    private String content(Path file) {
        if (Files.isDirectory(file)) {
            throw new StoreException(StoreException.Kind.INVALID, storeName + ": " + file
                    + " is a directory, not a .env file", "set the store's path to the file");
        }
        try {
            return LocalFiles.read(file).orElse("");
        } catch (StoreException e) {
            throw new StoreException(e.kind(), storeName + ": " + e.getMessage(),
                    "check the file's permissions, and that it is saved as UTF-8");
        }
    }

    /** {@code file}'s lines as read into {@code content}. */
    private List<String> lines(Path file) {
        return lines(file, content(file));
    }

    /**
     * The lines without their "\n"; a CRLF line keeps its "\r". Refused when any assignment cannot be read: a write
     * would otherwise rewrite what only looks like a line of the key (inside another key's multi-line value).
     */
    private List<String> lines(Path file, String content) {
        List<String> lines = new ArrayList<>(List.of(content.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        try {
            DotEnv.checkEveryLine(lines);
        } catch (DotEnv.MalformedLine malformed) {
            throw new StoreException(StoreException.Kind.INVALID, storeName + ": " + file + " line "
                    + malformed.line() + " (" + DotEnv.keyOf(lines.get(malformed.line() - 1)) + "): "
                    + malformed.getMessage(), "write that value on one line (quoted, with "
                    + "\\n for a line break), then run Rotor again");
        }
        return lines;
    }
}
