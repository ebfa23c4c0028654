package dev.rotor.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.LoaderOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that keeps where every node and key starts (Jackson's tree drops locations).
 * Read by {@link YamlSubset} when the text is in the subset manifests are written in, else built by walking
 * Jackson's YAML tokens. Duplicate keys, aliases and several documents are problems; a syntax error stops the walk
 * with one problem at the line and column YAML reports.
 */
final class Yaml {
    /** Built on first use: a manifest that {@link YamlSubset} reads never loads Jackson's or SnakeYAML's classes. */
    private static final class Jackson {
        static final YAMLFactory FACTORY = factory();
    }

    /** How a scalar is written; plain and quoted one-line scalars let template columns point inside the string. */
    enum Style { PLAIN, SINGLE_QUOTED, DOUBLE_QUOTED, BLOCK }

    sealed interface Node permits MapNode, ListNode, Scalar {
        Location location();

        /** What a message calls this node's kind: "a map", "a list", "a string"... */
        String kind();
    }

    record Field(String key, Location keyLocation, Node value) {
    }

    record MapNode(Location location, Map<String, Field> fields) implements Node {
        @Override
        public String kind() {
            return "a map";
        }
    }

    record ListNode(Location location, List<Node> items) implements Node {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** {@code value} is a String, Boolean, Number or null; {@code text} is how YAML wrote it. */
    record Scalar(Location location, Object value, String text, Style style) implements Node {
        @Override
        public String kind() {
            if (value == null) {
                return "empty";
            }
            if (value instanceof Boolean) {
                return "a boolean";
            }
            return value instanceof Number ? "a number" : "a string";
        }

        /** The value as text when it is a plain scalar of any type (for vars and settings), else null. */
        String asText() {
            return value == null ? null : text;
        }
    }

    /** The default factory, but its parser refuses what the loader does not read (SnakeYAML's own limit is 3 MB). */
    private static YAMLFactory factory() {
        LoaderOptions limits = new LoaderOptions();
        limits.setCodePointLimit(ManifestLoader.MAX_BYTES);
        var builder = YAMLFactory.builder().loaderOptions(limits);
        // Unlike new YAMLFactory(), the builder starts with no parser features (an empty value would become "").
        for (YAMLParser.Feature feature : YAMLParser.Feature.values()) {
            if (feature.enabledByDefault()) {
                builder.enable(feature);
            }
        }
        return builder.build();
    }

    private final Path file;
    private final String[] lines;
    private final List<Problem> problems;
    private JsonParser parser;

    private Yaml(Path file, String text, List<Problem> problems) {
        this.file = file;
        this.lines = text.split("\r?\n", -1);
        this.problems = problems;
    }

    /** The root node, or null when the text is not YAML (the problem is added). */
    static Node parse(Path file, String text, List<Problem> problems) {
        Node root = YamlSubset.read(file, text);
        return root != null ? root : parseWithJackson(file, text, problems);
    }

    /** What {@link #parse} gives for text outside the subset (YamlSubsetTest compares the two on text inside it). */
    static Node parseWithJackson(Path file, String text, List<Problem> problems) {
        return new Yaml(file, text, problems).parseDocument(text);
    }

    private Node parseDocument(String text) {
        List<String> path = new ArrayList<>();
        try (JsonParser p = Jackson.FACTORY.createParser(text)) {
            parser = p;
            JsonToken first = p.nextToken();
            if (first == null) {
                problems.add(Problem.error(new Location(file, 1, 1), "", "the manifest is empty",
                        "start with 'version: 1'"));
                return null;
            }
            Node root = node(first, path);
            if (p.nextToken() != null) {
                problems.add(Problem.error(location(p.currentTokenLocation()), "",
                        "only one YAML document is allowed", "remove the '---' separator and what follows"));
            }
            return root;
        } catch (JsonProcessingException e) {
            problems.add(syntaxError(e, path));
            return null;
        } catch (IOException e) {
            problems.add(Problem.error(new Location(file, 0, 0), "", "cannot read the manifest", ""));
            return null;
        }
    }

    private Node node(JsonToken token, List<String> path) throws IOException {
        Location at = location(parser.currentTokenLocation());
        switch (token) {
            case START_OBJECT -> {
                Map<String, Field> fields = new LinkedHashMap<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_OBJECT; t = parser.nextToken()) {
                    String key = parser.currentName();
                    Location keyAt = location(parser.currentTokenLocation());
                    path.add(key);
                    Node value = node(parser.nextToken(), path);
                    Field previous = fields.get(key);
                    if (previous != null) {
                        problems.add(Problem.error(keyAt, Paths.join(path), "duplicate key '" + key
                                + "' (first at line " + previous.keyLocation().line() + ")", "remove one of them"));
                    } else {
                        fields.put(key, new Field(key, keyAt, value));
                    }
                    path.remove(path.size() - 1);
                }
                return new MapNode(at, Collections.unmodifiableMap(fields));
            }
            case START_ARRAY -> {
                List<Node> items = new ArrayList<>();
                for (JsonToken t = parser.nextToken(); t != JsonToken.END_ARRAY; t = parser.nextToken()) {
                    path.add("[" + items.size() + "]");
                    items.add(node(t, path));
                    path.remove(path.size() - 1);
                }
                return new ListNode(at, List.copyOf(items));
            }
            default -> {
                return scalar(token, at, path);
            }
        }
    }

    private Scalar scalar(JsonToken token, Location at, List<String> path) throws IOException {
        String text = parser.getText();
        if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
            problems.add(Problem.error(at, Paths.join(path), "YAML aliases ('*" + text + "') are not supported",
                    "write the value out, or use a variable under environments.NAME.vars"));
        }
        Object value = switch (token) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getNumberValue();
            default -> text;
        };
        return new Scalar(at, value, text, styleAt(at));
    }

    private Style styleAt(Location at) {
        int line = at.line() - 1;
        int column = at.column() - 1;
        if (line < 0 || line >= lines.length || column < 0 || column >= lines[line].length()) {
            return Style.PLAIN;
        }
        return switch (lines[line].charAt(column)) {
            case '"' -> Style.DOUBLE_QUOTED;
            case '\'' -> Style.SINGLE_QUOTED;
            case '|', '>' -> Style.BLOCK;
            default -> Style.PLAIN;
        };
    }

    private Location location(JsonLocation at) {
        return new Location(file, at.getLineNr(), at.getColumnNr());
    }

    /** YAML's own message and mark, without the quoted source line (it could hold anything). */
    private Problem syntaxError(JsonProcessingException e, List<String> path) {
        Location at = e.getLocation() == null ? new Location(file, 0, 0) : location(e.getLocation());
        String message = firstLine(e.getOriginalMessage());
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked) {
            if (marked.getProblemMark() != null) {
                at = new Location(file, marked.getProblemMark().getLine() + 1, marked.getProblemMark().getColumn() + 1);
            }
            if (marked.getProblem() != null) {
                message = firstLine(marked.getProblem());
            }
        }
        return Problem.error(at, Paths.join(path), "YAML syntax error: " + message,
                "check the indentation and quoting on this line and the one before");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable YAML";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
