package dev.rotor.store.dotenv;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Capability;
import dev.rotor.store.LocalFiles;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code type: dotenv}: a {@code .env} file (Docker Compose, self-hosted runners' {@code ~/.config/app/dev.env}). */
public final class DotenvProvider implements Provider {
    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");

    @Override
    public String type() {
        return "dotenv";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("path", "mode");
    }

    @Override
    public Set<String> requiredSettingKeys() {
        return Set.of("path");
    }

    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return LocalFiles.checkMode(settings);
    }

    @Override
    public Set<Capability> capabilities() {
        return DotenvStore.CAPABILITIES;
    }

    @Override
    public String checkTargetName(String name) {
        return KEY.matcher(name).matches() ? null : "a .env key must match " + KEY.pattern();
    }

    @Override
    public Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        return new DotenvStore(storeName, context.baseDirectory().resolve(LocalFiles.setting(settings, "path", ".env"))
                .normalize(), LocalFiles.mode(settings, storeName));
    }
}
