package dev.rotor.store.files;

import dev.rotor.manifest.Template;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Capability;
import dev.rotor.store.LocalFiles;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;
import dev.rotor.store.StoreException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code type: files}: a directory with one file per secret, as Docker and Kubernetes mount them. */
public final class FilesProvider implements Provider {
    /** Here, not in FilesStore, whose loading (a java.time formatter, a regex, comparators) validate never needs. */
    static final Set<Capability> CAPABILITIES = Set.of(Capability.READABLE, Capability.VERSIONED,
            Capability.PENDING_SLOT, Capability.COMPARE_AND_SET, Capability.UPDATED_AT, Capability.DELETE,
            Capability.LOCAL);

    @Override
    public String type() {
        return "files";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("directory", "mode", "keep-backups");
    }

    @Override
    public Set<String> requiredSettingKeys() {
        return Set.of("directory");
    }

    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        List<KeyProblem> problems = new ArrayList<>(LocalFiles.checkMode(settings));
        Object keep = settings.get("keep-backups");
        if (keep != null && !Template.unrendered(keep) && keepBackups(keep) < 0) {
            problems.add(new KeyProblem("keep-backups", "keep-backups must be a whole number, 0 or more, not '"
                    + keep + "'", "e.g. keep-backups: 10; 0 keeps none"));
        }
        return problems;
    }

    /** The number of backup folders to keep, or -1 when the setting is not a whole number of 0 or more. */
    private static int keepBackups(Object setting) {
        String text = setting.toString();
        return text.matches("[0-9]{1,6}") ? Integer.parseInt(text) : -1;
    }

    @Override
    public Set<Capability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public String checkTargetName(String name) {
        if (name.isEmpty() || name.startsWith(".") || name.contains("/") || name.contains("\\")) {
            return "a file name must be a plain name (no '/', not starting with '.')";
        }
        return null;
    }

    @Override
    public Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        Path directory = context.baseDirectory().resolve(LocalFiles.setting(settings, "directory", ".")).normalize();
        String mode = LocalFiles.mode(settings, storeName);
        int keep = keepBackups(settings.getOrDefault("keep-backups", 10));
        if (keep < 0) {
            throw new StoreException(StoreException.Kind.INVALID, storeName + ": keep-backups must be a whole number,"
                    + " 0 or more", "fix keep-backups in the manifest");
        }
        return new FilesStore(storeName, directory, mode, keep, context.clock());
    }
}
