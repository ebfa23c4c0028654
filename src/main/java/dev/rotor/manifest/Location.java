package dev.rotor.manifest;

import java.nio.file.Path;

/** Where a manifest node starts: file, 1-based line and column. */
public record Location(Path file, int line, int column) {
    public static final Location UNKNOWN = new Location(Path.of("<none>"), 0, 0);

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
