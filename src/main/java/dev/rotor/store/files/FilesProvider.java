package dev.rotor.store.files;

import dev.rotor.store.Capability;
import dev.rotor.store.LocalFiles;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code type: files}: a directory with one file per secret, as Docker and Kubernetes mount them. */
public final class FilesProvider implements Provider {
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
    public Set<Capability> capabilities() {
        return FilesStore.CAPABILITIES;
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
        String mode = LocalFiles.setting(settings, "mode", "600");
        int keep = Integer.parseInt(LocalFiles.setting(settings, "keep-backups", "10"));
        return new FilesStore(storeName, directory, mode, keep, context.clock());
    }
}
