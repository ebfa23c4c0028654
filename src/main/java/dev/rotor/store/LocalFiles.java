package dev.rotor.store;

import dev.rotor.manifest.Template;

import dev.rotor.manifest.KeyProblem;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** File operations shared by the local stores: atomic, locked writes and reads that name paths, never contents. */
public final class LocalFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");
    private static final int MAX_LINKS = 40;
    /** An OS lock is held per process: threads of one process take turns on a monitor before they ask for it. */
    private static final Map<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private LocalFiles() {
    }

    /**
     * Runs {@code action} holding an exclusive OS lock on {@code lockFile} (created empty and private if absent,
     * and never deleted: another process may be waiting on it), so a read-modify-write in one process never
     * interleaves with one in another. Not reentrant: an action must not take the same lock again.
     */
    public static <T> T locked(Path lockFile, Supplier<T> action) {
        Object monitor = MONITORS.computeIfAbsent(lockFile.toAbsolutePath().normalize(), path -> new Object());
        synchronized (monitor) {
            try {
                createPrivateDirectories(lockFile.getParent());
                if (POSIX && !Files.exists(lockFile)) {
                    try {
                        Files.createFile(lockFile, PosixFilePermissions.asFileAttribute(permissions("600")));
                    } catch (FileAlreadyExistsException createdMeanwhile) {
                        // another process made it first: fine, it is only a name to lock
                    }
                }
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = channel.lock()) {
                    return action.get();
                }
            } catch (IOException e) {
                throw failure("lock", lockFile, e);
            }
        }
    }

    /**
     * Writes via a temporary file in the same directory, fsync, then an atomic rename. A file that exists keeps its
     * owner, group and mode (consumers were given access to it); a new one gets {@code mode}. Temporary files that
     * a killed writer left beside {@code file} are removed first: they may hold a secret.
     */
    public static void writeAtomically(Path file, String content, String mode) {
        try {
            createPrivateDirectories(file.getParent());
            removeStaleTemporaryFiles(file);
            Optional<PosixFileAttributes> existing = POSIX && Files.exists(file)
                    ? Optional.of(Files.readAttributes(file, PosixFileAttributes.class)) : Optional.empty();
            Path temp = temporaryFileOf(file, ProcessHandle.current().pid());
            Files.deleteIfExists(temp);
            if (POSIX) {
                Files.createFile(temp, PosixFilePermissions.asFileAttribute(permissions("600")));
            } else {
                Files.createFile(temp);
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(StandardCharsets.UTF_8.encode(content));
                channel.force(true);
            }
            if (POSIX) {
                applyOwnershipAndMode(temp, file, existing, mode);
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

    /** Owner and group first: changing them clears the set-id bits, the mode set afterwards is the one that stays. */
    private static void applyOwnershipAndMode(Path temp, Path file, Optional<PosixFileAttributes> existing,
                                              String mode) throws IOException {
        if (existing.isPresent()) {
            PosixFileAttributeView view = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
            PosixFileAttributes now = view.readAttributes();
            try {
                if (!now.owner().equals(existing.get().owner())) {
                    view.setOwner(existing.get().owner());
                }
                if (!now.group().equals(existing.get().group())) {
                    view.setGroup(existing.get().group());
                }
            } catch (IOException e) {
                Files.deleteIfExists(temp);
                throw new StoreException(StoreException.Kind.PERMISSION, file + " belongs to "
                        + existing.get().owner().getName() + ":" + existing.get().group().getName()
                        + " and this process cannot give its replacement the same owner and group",
                        "run Rotor as that user, or as root");
            }
        }
        Files.setPosixFilePermissions(temp, existing.map(PosixFileAttributes::permissions).orElse(permissions(mode)));
    }

    private static Path temporaryFileOf(Path file, long pid) {
        return file.resolveSibling("." + file.getFileName() + ".tmp-" + pid);
    }

    /** {@code .NAME.tmp-PID} beside {@code file} whose process is gone (killed mid-write). */
    private static void removeStaleTemporaryFiles(Path file) throws IOException {
        String prefix = "." + file.getFileName() + ".tmp-";
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(file.getParent(),
                entry -> entry.getFileName().toString().startsWith(prefix))) {
            for (Path sibling : siblings) {
                String pid = sibling.getFileName().toString().substring(prefix.length());
                if (pid.matches("[0-9]{1,18}") && !isLiveProcess(Long.parseLong(pid))) {
                    Files.deleteIfExists(sibling);
                }
            }
        }
    }

    private static boolean isLiveProcess(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The rename itself is durable only once the directory is: without this a power cut could undo it. */
    public static void syncDirectory(Path directory) {
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
        try {
            if (POSIX) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(permissions("700")));
            } else {
                Files.createDirectory(directory);
            }
        } catch (FileAlreadyExistsException e) {
            // Another process created it between the check and here; a file of that name is still an error.
            if (!Files.isDirectory(directory)) {
                throw e;
            }
        }
    }

    /** Deletes a directory tree; a part another process removed meanwhile is no error. */
    public static void deleteTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(directory);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * The file a store reads and writes for {@code file}: itself, or where its symbolic links lead when that stays
     * inside {@code directory} (the link is kept, the real file written). A link leading outside is refused:
     * Rotor would adopt, back up and roll back a file the manifest never named.
     */
    public static Path realFileInside(Path file, Path directory, String store) {
        if (!Files.isSymbolicLink(file)) {
            return file;
        }
        try {
            Path target = file;
            for (int hops = 0; Files.isSymbolicLink(target); hops++) {
                if (hops == MAX_LINKS) {
                    throw new StoreException(StoreException.Kind.INVALID, store + ": " + file
                            + " is a loop of symbolic links", "point it at a regular file");
                }
                target = target.resolveSibling(Files.readSymbolicLink(target)).normalize();
            }
            Path real = target.getParent().toRealPath().resolve(target.getFileName());
            if (!real.startsWith(directory.toRealPath())) {
                throw new StoreException(StoreException.Kind.INVALID, store + ": " + file
                        + " is a symbolic link to " + real + ", outside " + directory
                        + "; Rotor neither reads nor replaces a file outside its store",
                        "point the store at " + real + " itself, or move that file into " + directory);
            }
            return real;
        } catch (IOException e) {
            throw failure("resolve the link", file, e);
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

    /**
     * The {@code mode} setting's problem, for {@link Provider#checkSettings}: a mode is a quoted string of octal digits
     * ("0640"), since YAML reads an unquoted 0640 as the number 416. A value still holding a template is checked once
     * rendered, when the store is opened.
     */
    public static List<KeyProblem> checkMode(Map<String, Object> settings) {
        Object mode = settings.get("mode");
        KeyProblem problem = Template.unrendered(mode) ? null : modeProblem(mode);
        return problem == null ? List.of() : List.of(problem);
    }

    private static KeyProblem modeProblem(Object mode) {
        if (mode == null || mode instanceof String text && MODE.matcher(text).matches()) {
            return null;
        }
        if (mode instanceof Number) {
            return new KeyProblem("mode", "a mode must be a quoted string: YAML reads an unquoted mode as a number",
                    "write the mode as a quoted string, e.g. mode: \"0644\"");
        }
        return new KeyProblem("mode", "a mode must be 3 octal digits, optionally after a 0, not '" + mode + "'",
                "e.g. mode: \"0640\"");
    }

    /** The rendered {@code mode} setting, or 600; a bad one (a template can render to anything) is refused. */
    public static String mode(Map<String, Object> settings, String store) {
        Object mode = settings.get("mode");
        KeyProblem problem = modeProblem(mode);
        if (problem != null) {
            throw new StoreException(StoreException.Kind.INVALID, store + ": " + problem.message(), problem.suggestion());
        }
        return mode == null ? "600" : mode.toString();
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
        // What the user can act on, from the exception's type alone: its message could quote the file.
        String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof NoSuchFileException ? "a folder on the path does not exist"
                : e instanceof java.nio.charset.CharacterCodingException ? "it is not UTF-8 text"
                : e instanceof java.nio.file.NotDirectoryException ? "a part of the path is a file, not a folder"
                : e instanceof java.nio.file.FileSystemException ? "the file system refused it ("
                + e.getClass().getSimpleName() + ")" : e.getClass().getSimpleName();
        return new StoreException(StoreException.Kind.FAILED, operation + " " + file + " failed: " + why);
    }

    /** A setting as a string, or the default. */
    public static String setting(Map<String, Object> settings, String key, String fallback) {
        Object value = settings.get(key);
        return value == null ? fallback : value.toString();
    }
}
