package dev.rotor.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What a provider may use when it opens a store: the process environment (credentials come from
 * {@code ${env:NAME}} references or ambient identity), the manifest's directory for relative paths,
 * a clock, and a progress sink (names only).
 */
public record ProviderContext(Map<String, String> environment, Path baseDirectory, Clock clock,
                              java.util.function.Consumer<String> progress) {
}
