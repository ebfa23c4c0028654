package dev.rotor.manifest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The graph of {@code vars} that reference other vars: cycles are found before anything renders. */
final class Variables {
    private Variables() {
    }

    /** Names of the vars a template refers to; a template with bad syntax refers to none (reported elsewhere). */
    static List<String> referencedBy(String template) {
        List<String> names = new ArrayList<>();
        try {
            for (Template.Placeholder r : Template.parse(template).placeholders()) {
                Reference ref = Reference.parse(r.expression());
                if (ref.kind() == Reference.Kind.VARIABLE) {
                    names.add(ref.argument());
                }
            }
        } catch (Template.TemplateSyntaxException e) {
            return List.of();
        }
        return names;
    }

    /** A cycle through {@code start} ({@code a -> b -> a}), if any. */
    static Optional<List<String>> cycleFrom(String start, Map<String, String> vars) {
        return walk(start, start, vars, new LinkedHashSet<>());
    }

    private static Optional<List<String>> walk(String start, String current, Map<String, String> vars, Set<String> seen) {
        if (!seen.add(current)) {
            return Optional.empty();
        }
        String template = vars.get(current);
        if (template == null) {
            return Optional.empty();
        }
        for (String next : referencedBy(template)) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(seen);
                cycle.add(start);
                return Optional.of(cycle);
            }
            Optional<List<String>> found = walk(start, next, vars, seen);
            if (found.isPresent()) {
                return found;
            }
        }
        seen.remove(current);
        return Optional.empty();
    }
}
