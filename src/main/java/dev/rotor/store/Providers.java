package dev.rotor.store;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * The registry of store types, found with {@link ServiceLoader}: adding an integration is a package with a
 * {@link Provider} and one line in {@code META-INF/services/dev.rotor.store.Provider}.
 */
public final class Providers {
    private static final Map<String, Provider> BY_TYPE = new LinkedHashMap<>();

    static {
        for (Provider provider : ServiceLoader.load(Provider.class, Providers.class.getClassLoader())) {
            BY_TYPE.put(provider.type(), provider);
        }
    }

    private Providers() {
    }

    public static Optional<Provider> byType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    public static List<String> types() {
        return List.copyOf(BY_TYPE.keySet());
    }
}
