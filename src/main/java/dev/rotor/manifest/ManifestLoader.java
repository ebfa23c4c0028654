package dev.rotor.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads a {@code rotation.yml}: YAML with source locations, then shape, then meaning. Every problem is collected
 * and thrown together in one {@link ManifestException}, sorted by line and column.
 */
public final class ManifestLoader {
    /**
     * The largest manifest read, in bytes. Real manifests are a few kilobytes; without a limit a 50 MB scalar took
     * minutes and a gigabyte to refuse. {@link Yaml} holds its parser to the same limit.
     */
    static final int MAX_BYTES = 4 * 1024 * 1024;
    /**
     * The longest line, in characters. SnakeYAML copies its look-ahead window for every 1 KB of a token it scans,
     * so one 4 MB line took seconds; lines of at most 64 KB keep a 4 MB manifest to a fraction of a second.
     */
    static final int MAX_LINE = 64 * 1024;

    private final Vocabulary vocabulary;

    /** A loader that knows the types of this vocabulary (engine.Vocabularies.standard() has every registered one). */
    public ManifestLoader(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /** Loads and validates {@code file}; throws one ManifestException holding every error. */
    public Manifest read(Path file, Map<String, String> environment) throws ManifestException {
        String text;
        if (Files.isDirectory(file)) {
            throw new ManifestException(List.of(Problem.error(new Location(file, 0, 0), "",
                    "is a directory, not a manifest file", "give the manifest file with -m, e.g. -m " + file.resolve("rotation.yml"))));
        }
        byte[] bytes = null;
        try (InputStream in = Files.newInputStream(file)) {
            // Read no more than the limit: a bigger file is refused without being read, let alone parsed.
            bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw tooBig(file, Math.max(bytes.length, Files.size(file)));
            }
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ManifestException(List.of(Problem.error(new Location(file, 0, 0), "", "manifest not found",
                    "give one with -m FILE")));
        } catch (CharacterCodingException e) {
            throw new ManifestException(List.of(Problem.error(firstNonUtf8(file, bytes), "",
                    "the manifest is not UTF-8 text", "save it as UTF-8")));
        } catch (AccessDeniedException e) {
            throw new ManifestException(List.of(Problem.error(new Location(file, 0, 0), "",
                    "permission denied: this user may not read the manifest", "check the file's permissions")));
        } catch (IOException | SecurityException e) {
            throw new ManifestException(List.of(Problem.error(new Location(file, 0, 0), "", "cannot read the manifest ("
                    + e.getClass().getSimpleName() + ")", "check that the file is readable")));
        }
        return parse(file, text, environment);
    }

    /** Where the first byte that is not UTF-8 is: its line, and its column in the characters before it. */
    private static Location firstNonUtf8(Path file, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        StandardCharsets.UTF_8.newDecoder().decode(in, CharBuffer.allocate(bytes.length), true);
        int at = in.position();
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < at; i++) {
            if (bytes[i] == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new Location(file, line, new String(bytes, lineStart, at - lineStart, StandardCharsets.UTF_8).length() + 1);
    }

    /** Validates manifest text as if read from {@code file} (for tests and stdin). */
    public Manifest parse(Path file, String text, Map<String, String> environment) throws ManifestException {
        if (text.length() > MAX_BYTES) {
            throw tooBig(file, text.length());
        }
        refuseLongLines(file, text);
        List<Problem> problems = new ArrayList<>();
        Yaml.Node root = Yaml.parse(file, text, problems);
        if (root == null) {
            throw new ManifestException(problems);
        }
        Manifest draft = new ManifestReader(file, vocabulary, problems).read(root);
        Manifest manifest = new ManifestValidator(draft, new NodeIndex(root), vocabulary, Map.copyOf(environment),
                problems).validate();
        if (!problems.isEmpty()) {
            List<Problem> sorted = new ArrayList<>(problems);
            sorted.sort(Comparator.comparingInt((Problem p) -> p.location().line())
                    .thenComparingInt(p -> p.location().column()));
            throw new ManifestException(sorted);
        }
        return manifest;
    }

    private static void refuseLongLines(Path file, String text) throws ManifestException {
        int line = 1;
        for (int start = 0; start <= text.length(); line++) {
            int end = text.indexOf('\n', start);
            int length = (end < 0 ? text.length() : end) - start;
            if (length > MAX_LINE) {
                throw new ManifestException(List.of(Problem.error(new Location(file, line, 1), "",
                        String.format(Locale.ROOT, "line %d is %d KB long; the limit is %d KB", line, length / 1024,
                                MAX_LINE / 1024), "break it up; a value never belongs in the manifest")));
            }
            if (end < 0) {
                break;
            }
            start = end + 1;
        }
    }

    private static ManifestException tooBig(Path file, long size) {
        return new ManifestException(List.of(Problem.error(new Location(file, 1, 1), "",
                String.format(Locale.ROOT, "the manifest is %.1f MB; the limit is %d MB", size / (1024.0 * 1024),
                        MAX_BYTES / (1024 * 1024)), "check that -m names the manifest, or split it")));
    }
}
