package dev.rotor.store.dotenv;

import dev.rotor.generate.DotEnv;
import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.LocalFiles;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

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
    }

    @Override
    public Optional<Stored> read(Address address) {
        Path real = realFile();
        try {
            return DotEnv.lookup(lines(real), address.name())
                    .map(value -> new Stored(value, null, LocalFiles.modified(real)));
        } catch (DotEnv.MalformedLine malformed) {
            throw new StoreException(StoreException.Kind.INVALID, storeName + ": " + real + " line "
                    + malformed.line() + " (" + address.name() + "): " + malformed.getMessage(), "fix that line");
        }
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
            List<String> lines = lines(real);
            boolean changed = change.test(lines);
            if (changed) {
                LocalFiles.writeAtomically(real, String.join("\n", lines) + "\n", mode);
            }
            return changed;
        });
    }

    /** The file itself, or where its symbolic link leads inside the file's own directory. */
    private Path realFile() {
        return LocalFiles.realFileInside(file, file.getParent(), storeName);
    }

    /** The lines without their "\n"; a CRLF line keeps its "\r". */
    private static List<String> lines(Path file) {
        String content = LocalFiles.read(file).orElse("");
        List<String> lines = new ArrayList<>(List.of(content.split("\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }
}
