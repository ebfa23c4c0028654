package dev.rotor.manifest;

import java.nio.file.Path;

/** Where a manifest node starts: file, 1-based line and column (0 and 0: the file as a whole). */
public record Location(Path file, int line, int column) {
    public static final Location UNKNOWN = new Location(Path.of("<none>"), 0, 0);

    /** False for a problem with the file as a whole (it is missing or unreadable): there is no line to point at. */
    public boolean known() {
        return line > 0;
    }

    @Override
    public String toString() {
        return known() ? file + ":" + line + ":" + column : file.toString();
    }
}
