package dev.rotor.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every pointer into a document names a section that exists: a link or mention of a Markdown file with an anchor
 * (in Markdown, workflows, action.yml, the Dockerfile, scripts and Java sources), an anchor within the same Markdown
 * file, and the older form that quotes a section's title after the file name. Anchors are GitHub's: the heading's
 * text in lower case, punctuation dropped, spaces as hyphens, a repeated heading numbered from -1.
 */
class DocsLinksTest {

    /** A Markdown file name, possibly with folders, then an anchor. */
    static final Pattern FILE_ANCHOR = Pattern.compile("(?<![\\w./-])((?:[\\w.-]+/)*[\\w.-]+\\.md)#([\\w-]+)");
    /** An anchor within the same Markdown file: {@code [text](#anchor)}. */
    static final Pattern LOCAL_ANCHOR = Pattern.compile("\\]\\(#([\\w-]+)\\)");
    /** A section quoted by title after the file name, as comments used to: the file, a comma, the title in quotes. */
    static final Pattern QUOTED_SECTION = Pattern.compile("((?:[\\w.-]+/)*[\\w.-]+\\.md), \"([^\"]+)\"");
    static final Pattern HEADING = Pattern.compile("^#{1,6}\\s+(.+?)\\s*#*\\s*$");
    static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~).*");

    static final Set<String> SCANNED_SUFFIXES = Set.of(".md", ".yml", ".yaml", ".java", ".sh", "Dockerfile");
    static final Set<String> SKIPPED_FOLDERS = Set.of(".git", "target", "node_modules");

    @Test
    void githubAnchorsAreComputedAsGithubDoes() {
        List<String> headings = List.of("Start time: AppCDS and C1", "Example workflows (`examples/workflows/`)",
                "Inside the image, only the image's tools exist", "Tokens", "Tokens", "A [linked](x.md) title");
        assertEquals(List.of("start-time-appcds-and-c1", "example-workflows-examplesworkflows",
                "inside-the-image-only-the-images-tools-exist", "tokens", "tokens-1", "a-linked-title"),
                new ArrayList<>(anchors(headings)));
    }

    @Test
    void everyDocumentAnchorNamesAHeading() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        List<String> broken = new ArrayList<>();
        int links = 0;
        Map<Path, Set<String>> cache = new HashMap<>();
        for (Path file : scannedFiles(root)) {
            String text = Files.readString(file);
            boolean markdown = file.toString().endsWith(".md");
            List<String[]> targets = new ArrayList<>();
            for (Matcher m = FILE_ANCHOR.matcher(text); m.find(); ) {
                targets.add(new String[] {m.group(1), m.group(2), m.group()});
            }
            for (Matcher m = QUOTED_SECTION.matcher(text); m.find(); ) {
                targets.add(new String[] {m.group(1), anchor(m.group(2)), m.group()});
            }
            if (markdown) {
                for (Matcher m = LOCAL_ANCHOR.matcher(text); m.find(); ) {
                    targets.add(new String[] {root.relativize(file).toString(), m.group(1), m.group()});
                }
            }
            for (String[] target : targets) {
                links++;
                String where = root.relativize(file) + ": " + target[2];
                Path document = resolve(root, file, target[0], markdown);
                if (document == null) {
                    broken.add(where + " (no file " + target[0] + ")");
                } else if (!cache.computeIfAbsent(document, DocsLinksTest::anchorsOf).contains(target[1])) {
                    broken.add(where + " (no heading #" + target[1] + " in " + root.relativize(document) + ")");
                }
            }
        }
        assertTrue(links > 0, "no document anchors found: the scan is broken");
        assertEquals(List.of(), broken);
    }

    /** A Markdown link is relative to its file; a mention elsewhere (a comment, a message) to the repository root. */
    private static Path resolve(Path root, Path from, String name, boolean markdown) {
        List<Path> candidates = new ArrayList<>();
        if (markdown) {
            candidates.add(from.getParent().resolve(name));
        }
        candidates.add(root.resolve(name));
        return candidates.stream().map(Path::normalize).filter(Files::isRegularFile).findFirst().orElse(null);
    }

    private static List<Path> scannedFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> Stream.of(root.relativize(p).toString().split("/")).noneMatch(SKIPPED_FOLDERS::contains))
                    .filter(p -> SCANNED_SUFFIXES.stream().anyMatch(p.getFileName().toString()::endsWith))
                    .sorted().toList();
        }
    }

    private static Set<String> anchorsOf(Path markdown) {
        List<String> headings = new ArrayList<>();
        boolean fenced = false;
        try {
            for (String line : Files.readAllLines(markdown)) {
                if (FENCE.matcher(line).matches()) {
                    fenced = !fenced;
                } else if (!fenced) {
                    Matcher m = HEADING.matcher(line);
                    if (m.matches()) {
                        headings.add(m.group(1));
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(markdown.toString(), e);
        }
        return anchors(headings);
    }

    /** The anchors of headings in order, a repeated one numbered as GitHub numbers it. */
    static Set<String> anchors(List<String> headings) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        for (String heading : headings) {
            String anchor = anchor(heading);
            int count = seen.merge(anchor, 1, Integer::sum);
            anchors.add(count == 1 ? anchor : anchor + "-" + (count - 1));
        }
        return anchors;
    }

    /** GitHub's anchor of a heading: its rendered text (link targets and code marks gone), lower case, slugged. */
    static String anchor(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replace("`", "");
        return text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
