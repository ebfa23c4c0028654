package dev.rotor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rotor.testing.Forms;
import dev.rotor.testing.MemoryOwnerProvider;
import dev.rotor.testing.MutableClock;
import dev.rotor.testing.RotorRunner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** A manifest with an owner, a files target, a derived .env target and two environments, in a temp directory. */
final class Fixture {
    static final String MANIFEST = """
            version: 1
            environments:
              dev:  { vars: { host: db-dev.internal } }
              prod: { vars: { host: db-prod.internal } }
            stores:
              keys: { type: files, directory: keys }
              app-env: { type: dotenv, path: app.env }
              db: { type: memory-owner%s }
            secrets:
              db-password:
                generate: { type: password, length: 24 }
                owner: { store: db, user: "app-${env}" }
                targets:
                  - { store: keys, name: "db-${env}.txt" }
                  - { store: app-env, name: "${ENV}_DATABASE_URL", value: "postgresql://app:${secret.url}@${vars.host}/app" }
            %s
            """;

    final Path dir;
    final Path manifest;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T10:00:00Z"));
    final Map<String, String> env = new HashMap<>();

    Fixture(Path dir) {
        this(dir, "", "");
    }

    /** @param storeSettings extra settings of the memory owner; @param secretExtra extra YAML under db-password */
    Fixture(Path dir, String storeSettings, String secretExtra) {
        this.dir = dir;
        this.manifest = dir.resolve("rotation.yml");
        MemoryOwnerProvider.reset();
        write(manifest, MANIFEST.formatted(storeSettings, secretExtra.indent(4)));
    }

    RotorRunner.Result run(StepHook hook, String... args) {
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--manifest";
        full[args.length + 1] = manifest.toString();
        return RotorRunner.run(env, clock, hook, full);
    }

    RotorRunner.Result run(String... args) {
        return run(StepHook.NONE, args);
    }

    String file(String env) {
        return read(dir.resolve("keys/db-" + env + ".txt"));
    }

    String dotenvLine(String env) {
        return read(dir.resolve("app.env")).lines().filter(l -> l.startsWith(env.toUpperCase() + "_DATABASE_URL="))
                .findFirst().orElse(null);
    }

    String expectedUrlLine(String env, String value) {
        return env.toUpperCase() + "_DATABASE_URL=postgresql://app:" + Forms.url(value) + "@db-" + env
                + ".internal/app";
    }

    JsonNode journal(String env) {
        Path file = dir.resolve("keys/.rotor/journal/db-password." + env + ".json");
        try {
            return Files.exists(file) ? new ObjectMapper().readTree(file.toFile()) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String journalField(String env, String field) {
        JsonNode j = journal(env);
        return j == null || !j.hasNonNull(field) ? null : j.get(field).asText();
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
