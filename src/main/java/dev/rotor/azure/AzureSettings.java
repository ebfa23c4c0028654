package dev.rotor.azure;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.StoreException;

/** How the Azure stores read their settings (no SDK type here: validate uses it before any store is opened). */
public final class AzureSettings {
    private AzureSettings() {
    }

    /**
     * The settings as {@code read} makes them from the rendered manifest, or a StoreException naming every problem
     * of store {@code label} (one reading for validate and for opening a store, so a rule cannot be in one only).
     */
    public static <T> T parse(String label, String docs, Function<List<KeyProblem>, T> read) {
        List<KeyProblem> problems = new ArrayList<>();
        T parsed = read.apply(problems);
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, label + ": "
                    + String.join("; ", problems.stream().map(KeyProblem::message).toList()), docs);
        }
        return parsed;
    }

    /** For validate: every problem {@code read} finds, at its key. */
    public static List<KeyProblem> check(Function<List<KeyProblem>, ?> read) {
        List<KeyProblem> problems = new ArrayList<>();
        read.apply(problems);
        return problems;
    }

    /** The trimmed text of a setting, or null when absent or blank. */
    public static String text(Map<String, Object> settings, String key) {
        Object value = settings.get(key);
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value).trim();
    }


    /** Entra ID tokens travel over https only. */
    public static boolean httpsUrl(String text) {
        try {
            URI uri = URI.create(text);
            return "https".equals(uri.getScheme()) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code ca-bundle}: a PEM file of the CAs to trust instead of the JDK's (a TLS-inspecting proxy), or null. */
    public static Path caBundlePath(Map<String, Object> settings, Path baseDirectory) {
        String ca = text(settings, "ca-bundle");
        return ca == null ? null : baseDirectory == null ? Path.of(ca) : baseDirectory.resolve(ca);
    }
}
