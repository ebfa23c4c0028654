package dev.rotor.store.files;

import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.LocalFiles;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One file per secret in a directory. Writes are atomic (temp file + rename); a new file gets the configured mode, a
 * replaced one keeps its owner, group and mode. Each write holds the directory's lock ({@code .rotor/lock}) across
 * processes. The file being replaced is first copied to the run's {@code .rotor/backups/backup-YYYYMMDD-HHMMSS/}
 * (the api-forge runbook's layout), keeping the newest {@code keep-backups}. The journal lives in
 * {@code .rotor/journal/}, apart from the files consumers read. Versions are the file's modification time in
 * nanoseconds. A delete removes one file (backed up first, as a write does) and keeps the directory.
 */
final class FilesStore implements Store {
    private static final DateTimeFormatter BACKUP_NAME = DateTimeFormatter.ofPattern("'backup-'yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final String ROTOR = ".rotor/";
    private static final String JOURNAL = ROTOR + "journal/";
    private static final Pattern BACKUP_FOLDER = Pattern.compile("(backup-\\d{8}-\\d{6})(?:-(\\d{1,9}))?");
    private static final Comparator<Path> NEWEST_FIRST = Comparator.<Path, String>comparing(
            p -> BACKUP_FOLDER.matcher(p.getFileName().toString()).replaceFirst("$1"))
            .thenComparingInt(FilesStore::suffixOf).reversed();

    private final String storeName;
    private final Path directory;
    private final String mode;
    private final int keepBackups;
    private final Clock clock;
    /** This run's backup folder, made at the first backup. */
    private Path backupFolder;

    FilesStore(String storeName, Path directory, String mode, int keepBackups, Clock clock) {
        this.storeName = storeName;
        this.directory = directory;
        this.mode = mode;
        this.keepBackups = keepBackups;
        this.clock = clock;
    }

    @Override
    public Set<Capability> capabilities() {
        return FilesProvider.CAPABILITIES;
    }

    @Override
    public void preflight(List<Address> addresses) {
        LocalFiles.checkWritableDirectory(directory, storeName);
        // a copy or the journal may sit in a folder of its own (.rotor/journal/): that folder must take a write too
        for (Address address : addresses) {
            LocalFiles.checkWritableDirectory(fileOf(address).getParent(), storeName);
        }
    }

    @Override
    public Optional<Stored> read(Address address) {
        Path file = fileOf(address);
        try {
            return LocalFiles.read(file).map(value -> new Stored(value, version(file), LocalFiles.modified(file)));
        } catch (StoreException e) {
            throw named(e, "check that this process may read " + file);
        }
    }

    @Override
    public Written write(Address address, String value) {
        return LocalFiles.locked(lockFile(), () -> writeLocked(address, value));
    }

    @Override
    public Written writeIfVersion(Address address, String value, String expectedVersion) {
        return LocalFiles.locked(lockFile(), () -> {
            Path file = fileOf(address);
            String actual = Files.exists(file) ? version(file) : null;
            if (!Objects.equals(actual, expectedVersion)) {
                throw new StoreException(StoreException.Kind.CONFLICT, storeName + ": " + address.name()
                        + " changed since it was read (another run?)");
            }
            return writeLocked(address, value);
        });
    }

    /**
     * Under the same lock and link rules as a write: a symbolic link at the address is removed as a link, never its
     * target, which another name (a neighbour) may read.
     */
    @Override
    public void delete(Address address) {
        LocalFiles.locked(lockFile(), () -> {
            Path file = fileOf(address);
            Path entry = directory.resolve(address.name()).normalize();
            if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                throw new StoreException(StoreException.Kind.INVALID, storeName + ": '" + address.name()
                        + "' is a directory, not a secret's file; Rotor deletes files only", "name the file to delete");
            }
            Optional<String> existing = LocalFiles.read(file);
            if (existing.isPresent() && !isJournal(address)) {
                backup(existing.get(), address.name());
            }
            try {
                if (Files.deleteIfExists(entry)) {
                    LocalFiles.syncDirectory(entry.getParent());
                }
            } catch (IOException e) {
                throw named(LocalFiles.failure("delete", entry, e), "check that this process may remove files in "
                        + entry.getParent());
            }
            return null;
        });
    }

    /** The read-modify-write of a file and of the shared backups folder, under this store's lock. */
    private Written writeLocked(Address address, String value) {
        Path file = fileOf(address);
        Optional<String> existing = LocalFiles.read(file);
        if (existing.isPresent() && existing.get().equals(value)) {
            return new Written(version(file), false);
        }
        String before = existing.isPresent() ? version(file) : null;
        if (existing.isPresent() && !isJournal(address)) {
            backup(existing.get(), address.name());
        }
        try {
            LocalFiles.writeAtomically(file, value, mode);
        } catch (StoreException e) {
            throw named(e, "check that this process may create and rename files in " + file.getParent());
        }
        return new Written(advanceVersion(file, before), true);
    }

    /** A local file failure with this store's name, and what to check. */
    private StoreException named(StoreException e, String fix) {
        return new StoreException(e.kind(), storeName + ": " + e.getMessage(), fix);
    }

    /** One lock for the whole directory: writes of different files share the backups folder and its pruning. */
    private Path lockFile() {
        return directory.resolve(ROTOR + "lock");
    }

    @Override
    public Address journalAddress(String unit) {
        return Address.of(JOURNAL + unit + ".json");
    }

    private static boolean isJournal(Address address) {
        return address.name().startsWith(JOURNAL);
    }

    /** The file behind an address: inside the directory, through symbolic links that stay inside it. */
    private Path fileOf(Address address) {
        Path file = directory.resolve(address.name()).normalize();
        if (!file.startsWith(directory) || file.equals(directory)) {
            throw new StoreException(StoreException.Kind.INVALID, storeName + ": '" + address.name()
                    + "' is not a file inside " + directory);
        }
        return LocalFiles.realFileInside(file, directory, storeName);
    }

    private String version(Path file) {
        try {
            return Long.toString(Files.getLastModifiedTime(file).to(java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (IOException e) {
            throw LocalFiles.failure("stat", file, e);
        }
    }

    /**
     * File systems stamp modification times from a coarse clock, so two writes within one tick could share a
     * version; nudging the time past the previous one keeps versions unique per change (compare-and-set relies on it).
     */
    private String advanceVersion(Path file, String before) {
        String after = version(file);
        if (before != null && Long.parseLong(after) <= Long.parseLong(before)) {
            try {
                Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Long.parseLong(before) + 1_000,
                        java.util.concurrent.TimeUnit.NANOSECONDS));
            } catch (IOException e) {
                throw LocalFiles.failure("stamp", file, e);
            }
            after = version(file);
        }
        return after;
    }

    /**
     * Keeps the value a file had before this run in the run's backup folder: the store is opened once per run, so
     * the first backup picks the folder and a second write of the same file in the run keeps the first copy.
     */
    private void backup(String previous, String name) {
        if (keepBackups <= 0) {
            return;
        }
        Path backups = directory.resolve(ROTOR + "backups");
        if (backupFolder == null) {
            backupFolder = createBackupFolder(backups);
        }
        Path copy = backupFolder.resolve(name);
        if (!Files.exists(copy)) {
            LocalFiles.writeAtomically(copy, previous, mode);
        }
        pruneBackups(backups);
    }

    /**
     * {@code backup-YYYYMMDD-HHMMSS}, or with {@code -2}, {@code -3}... after the highest suffix that runs in the same
     * second took (never a pruned lower one: the new folder must sort as the newest). Created exclusively.
     */
    private Path createBackupFolder(Path backups) {
        String base = BACKUP_NAME.format(clock.instant());
        try {
            LocalFiles.createPrivateDirectories(backups);
            int suffix;
            try (Stream<Path> entries = Files.list(backups)) {
                suffix = entries.filter(p -> p.getFileName().toString().equals(base)
                        || p.getFileName().toString().startsWith(base + "-")).mapToInt(FilesStore::suffixOf).max().orElse(0);
            }
            while (true) {
                suffix++;
                try {
                    return Files.createDirectory(backups.resolve(suffix == 1 ? base : base + "-" + suffix));
                } catch (FileAlreadyExistsException taken) {
                    // another run took it meanwhile: the next suffix
                }
            }
        } catch (IOException e) {
            throw LocalFiles.failure("create a backup folder in", backups, e);
        }
    }

    /** Keeps the newest {@code keep-backups} folders (this run's always); one that is already gone is no error. */
    private void pruneBackups(Path backups) {
        try (Stream<Path> entries = Files.list(backups)) {
            List<Path> newestFirst = entries.filter(p -> BACKUP_FOLDER.matcher(p.getFileName().toString()).matches())
                    .sorted(NEWEST_FIRST).toList();
            for (Path old : newestFirst.subList(Math.min(keepBackups, newestFirst.size()), newestFirst.size())) {
                if (!old.equals(backupFolder)) {
                    LocalFiles.deleteTree(old);
                }
            }
        } catch (IOException e) {
            throw LocalFiles.failure("prune backups in", backups, e);
        }
    }

    /** By the second in the name, then by the suffix as a number ({@code -10} after {@code -9}). */
    private static int suffixOf(Path folder) {
        Matcher m = BACKUP_FOLDER.matcher(folder.getFileName().toString());
        return m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : 1;
    }
}
