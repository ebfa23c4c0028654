package dev.rotor.store.files;

import dev.rotor.store.Address;
import dev.rotor.store.Capability;
import dev.rotor.store.LocalFiles;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;
import dev.rotor.store.Stored;
import dev.rotor.store.Written;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One file per secret in a directory. Writes are atomic (temp file + rename) with the configured mode; the file
 * being replaced is first copied to {@code .rotor/backups/backup-YYYYMMDD-HHMMSS/} (the api-forge runbook's
 * layout), keeping the newest {@code keep-backups}. The journal lives in {@code .rotor/journal/}, apart from the
 * files consumers read. Versions are the file's modification time in nanoseconds.
 */
final class FilesStore implements Store {
    static final Set<Capability> CAPABILITIES = Set.of(Capability.READABLE, Capability.VERSIONED,
            Capability.PENDING_SLOT, Capability.COMPARE_AND_SET, Capability.UPDATED_AT, Capability.LOCAL);
    private static final DateTimeFormatter BACKUP_NAME = DateTimeFormatter.ofPattern("'backup-'yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final String JOURNAL = ".rotor/journal/";

    private final String storeName;
    private final Path directory;
    private final String mode;
    private final int keepBackups;
    private final Clock clock;

    FilesStore(String storeName, Path directory, String mode, int keepBackups, Clock clock) {
        this.storeName = storeName;
        this.directory = directory;
        this.mode = mode;
        this.keepBackups = keepBackups;
        this.clock = clock;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public void preflight(List<Address> addresses) {
        LocalFiles.checkWritableDirectory(directory, storeName);
    }

    @Override
    public Optional<Stored> read(Address address) {
        Path file = fileOf(address);
        return LocalFiles.read(file).map(value -> new Stored(value, version(file), LocalFiles.modified(file)));
    }

    @Override
    public Written write(Address address, String value) {
        Path file = fileOf(address);
        Optional<String> existing = LocalFiles.read(file);
        if (existing.isPresent() && existing.get().equals(value)) {
            return new Written(version(file), false);
        }
        String before = existing.isPresent() ? version(file) : null;
        if (existing.isPresent() && !isJournal(address)) {
            backup(file, address.name());
        }
        LocalFiles.writeAtomically(file, value, mode);
        return new Written(advanceVersion(file, before), true);
    }

    @Override
    public Written writeIfVersion(Address address, String value, String expectedVersion) {
        Path file = fileOf(address);
        Path lockFile = file.resolveSibling("." + file.getFileName() + ".lock");
        try {
            LocalFiles.createPrivateDirectories(file.getParent());
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = channel.lock()) {
                String actual = Files.exists(file) ? version(file) : null;
                if (!Objects.equals(actual, expectedVersion)) {
                    throw new StoreException(StoreException.Kind.CONFLICT, storeName + ": " + address.name()
                            + " changed since it was read (another run?)");
                }
                return write(address, value);
            }
        } catch (IOException e) {
            throw LocalFiles.failure("lock", lockFile, e);
        }
    }

    @Override
    public Address journalAddress(String unit) {
        return Address.of(JOURNAL + unit + ".json");
    }

    private static boolean isJournal(Address address) {
        return address.name().startsWith(JOURNAL);
    }

    private Path fileOf(Address address) {
        Path file = directory.resolve(address.name()).normalize();
        if (!file.startsWith(directory) || file.equals(directory)) {
            throw new StoreException(StoreException.Kind.INVALID, storeName + ": '" + address.name()
                    + "' is not a file inside " + directory);
        }
        return file;
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

    private void backup(Path file, String name) {
        if (keepBackups <= 0) {
            return;
        }
        Path backups = directory.resolve(".rotor/backups");
        Path target = backups.resolve(BACKUP_NAME.format(clock.instant())).resolve(name);
        LocalFiles.writeAtomically(target, LocalFiles.read(file).orElse(""), mode);
        pruneBackups(backups);
    }

    private void pruneBackups(Path backups) {
        try (Stream<Path> entries = Files.list(backups)) {
            List<Path> newestFirst = entries.sorted(Comparator.comparing(Path::getFileName).reversed()).toList();
            for (Path old : newestFirst.subList(Math.min(keepBackups, newestFirst.size()), newestFirst.size())) {
                try (Stream<Path> tree = Files.walk(old)) {
                    for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            throw LocalFiles.failure("prune backups in", backups, e);
        }
    }
}
