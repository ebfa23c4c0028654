package dev.rotor.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The JSON Schema (draft 2020-12) of {@code rotation.yml}: shape only; the loader also checks meaning. */
public final class ManifestSchema {
    static final String RESOURCE = "rotation.schema.json";

    private ManifestSchema() {
    }

    /** The schema text, byte for byte the file committed at {@code schema/rotation.schema.json}. */
    public static String json() {
        try (InputStream in = ManifestSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the manifest schema is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
