package dev.rotor.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of store types. One line per provider. */
public final class Providers {
    private static final Map<String, Provider> BY_TYPE = new LinkedHashMap<>();

    static {
        register(new dev.rotor.store.files.FilesProvider());
        register(new dev.rotor.store.dotenv.DotenvProvider());
        register(new dev.rotor.store.github.GithubProvider());
    }

    private Providers() {
    }

    private static void register(Provider provider) {
        BY_TYPE.put(provider.type(), provider);
    }

    public static Optional<Provider> byType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    public static List<String> types() {
        return List.copyOf(BY_TYPE.keySet());
    }
}
