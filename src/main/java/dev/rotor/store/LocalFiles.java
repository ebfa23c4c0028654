package dev.rotor.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** File operations shared by the local stores: atomic, private writes and reads that name paths, never contents. */
public final class LocalFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private LocalFiles() {
    }

    /** Writes via a temporary file in the same directory, fsync, then an atomic rename; the file gets {@code mode}. */
    public static void writeAtomically(Path file, String content, String mode) {
        try {
            createPrivateDirectories(file.getParent());
            Path temp = file.resolveSibling("." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.deleteIfExists(temp);
            if (POSIX) {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(permissions(mode)));
            } else {
                Files.createFile(temp);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(StandardCharsets.UTF_8.encode(content));
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(file.getParent());
        } catch (IOException e) {
            throw failure("write", file, e);
        }
    }

    /** The rename itself is durable only once the directory is: without this a power cut could undo it. */
    private static void syncDirectory(Path directory) {
        if (!POSIX) {
            return; // directories cannot be opened for sync elsewhere; the rename is still atomic
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            throw failure("sync", directory, e);
        }
    }

    /** Directories Rotor creates hold journals and backups: only the owner may list them. */
    public static void createPrivateDirectories(Path directory) throws IOException {
        if (Files.isDirectory(directory)) {
            return;
        }
        if (directory.getParent() != null) {
            createPrivateDirectories(directory.getParent());
        }
        if (POSIX) {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(permissions("700")));
        } else {
            Files.createDirectory(directory);
        }
    }

    public static Optional<String> read(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            throw failure("read", file, e);
        }
    }

    public static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw failure("stat", file, e);
        }
    }

    /** Checks that a directory exists or can be created, and is writable; creates nothing. */
    public static void checkWritableDirectory(Path directory, String store) {
        Path existing = directory;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new StoreException(StoreException.Kind.PERMISSION, store + ": directory " + directory
                    + " is not writable", "check the path and its permissions");
        }
    }

    static Set<PosixFilePermission> permissions(String mode) {
        int bits = Integer.parseInt(mode, 8);
        StringBuilder rwx = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int part = (bits >> shift) & 7;
            rwx.append((part & 4) != 0 ? 'r' : '-').append((part & 2) != 0 ? 'w' : '-').append((part & 1) != 0 ? 'x' : '-');
        }
        return PosixFilePermissions.fromString(rwx.toString());
    }

    /** The exception's class only: an IOException message is a path at most, but we never risk a value. */
    public static StoreException failure(String operation, Path file, IOException e) {
        return new StoreException(StoreException.Kind.FAILED, operation + " " + file + " failed ("
                + e.getClass().getSimpleName() + ")");
    }

    /** A setting as a string, or the default. */
    public static String setting(Map<String, Object> settings, String key, String fallback) {
        Object value = settings.get(key);
        return value == null ? fallback : value.toString();
    }
}
