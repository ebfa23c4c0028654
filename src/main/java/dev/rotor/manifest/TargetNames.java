package dev.rotor.manifest;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks rendered target names in every environment: names a store rejects, two targets that write the same
 * entry, and a target that would overwrite the credential Rotor itself reads.
 */
final class TargetNames {
    private final Manifest manifest;
    private final NodeIndex index;
    private final Map<String, StoreType> providers;
    private final GeneratorTypes generators;
    private final Map<String, String> environment;
    private final Map<String, String> credentialVariables;
    private final List<Problem> problems;
    /** Each problem is reported once even when it holds in several environments. */
    private final Set<String> reported = new HashSet<>();

    TargetNames(Manifest manifest, NodeIndex index, Map<String, StoreType> providers, GeneratorTypes generators,
                Map<String, String> environment, Map<String, String> credentialVariables, List<Problem> problems) {
        this.manifest = manifest;
        this.index = index;
        this.providers = providers;
        this.generators = generators;
        this.environment = environment;
        this.credentialVariables = credentialVariables;
        this.problems = problems;
    }

    void check() {
        for (EnvironmentSpec env : manifest.environmentsFor(null)) {
            Bindings bindings;
            try {
                bindings = Bindings.of(manifest, env, environment);
            } catch (UnresolvedReferenceException e) {
                continue; // a cycle, reported with the environment's vars
            }
            Map<String, String> firstWriter = new HashMap<>();
            String where = env.name().isEmpty() ? "" : " in environment '" + env.name() + "'";
            for (SecretSpec secret : manifest.secrets().values()) {
                for (int i = 0; i < secret.targets().size(); i++) {
                    check(Paths.item("secrets." + secret.name() + ".targets", i), secret.targets().get(i), bindings,
                            where, firstWriter);
                    checkSize(Paths.item("secrets." + secret.name() + ".targets", i), secret.targets().get(i),
                            secret.generate(), bindings, where);
                }
            }
        }
    }

    private void check(String path, TargetSpec target, Bindings bindings, String where, Map<String, String> firstWriter) {
        if (target.store() == null || target.name() == null) {
            return;
        }
        String name;
        Map<String, Object> scope;
        try {
            name = bindings.render(target.name());
            scope = new TreeMap<>(bindings.renderAll(target.scope()));
        } catch (RuntimeException e) {
            return; // unknown variables, bad syntax: reported by the template check; ${env:NAME} unset: known at run time
        }
        StoreSpec store = manifest.stores().get(target.store());
        StoreType provider = store == null || store.type() == null ? null : providers.get(store.type());
        String namePath = path + ".name";
        if (provider != null && provider.isStore()) {
            String rejected = provider.checkTargetName(name);
            if (rejected != null && reported.add(namePath)) {
                error(namePath, "target name '" + name + "' is not valid for store '" + target.store() + "' (type "
                        + provider.type() + ")" + where + ": " + rejected, "");
            }
        }
        String entry = target.store() + "\u0000" + name + "\u0000" + scope;
        String first = firstWriter.putIfAbsent(entry, path);
        if (first != null && reported.add(path + "#duplicate")) {
            error(path, "duplicate target: store '" + target.store() + "' name '" + name + "'"
                    + (scope.isEmpty() ? "" : " " + scope) + " is also written by " + first + where,
                    "remove one of them, or give them different names");
        }
        String credential = credentialVariables.get(name);
        if (credential != null && reported.add(path + "#own")) {
            error(namePath, "refusing to rotate '" + name + "': Rotor authenticates with it (" + credential + ")",
                    "rotate Rotor's own credential by another means, or read it from another variable");
        }
    }

    /**
     * A store with a size limit (GitHub: 48 KB) gets no target whose value can outgrow it: the bound is the
     * generator's longest value through the target's template (each encoding at its widest), plus the literal parts.
     */
    private void checkSize(String path, TargetSpec target, GeneratorSpec generate, Bindings bindings, String where) {
        StoreSpec store = target.store() == null ? null : manifest.stores().get(target.store());
        StoreType provider = store == null || store.type() == null ? null : providers.get(store.type());
        if (provider == null || provider.maxValueBytes().isEmpty() || generate == null) {
            return;
        }
        java.util.OptionalInt longest = generators.maxLength(generate);
        if (longest.isEmpty()) {
            return; // a provided value: its size is known only at run time, where the store checks it before any request
        }
        long bound;
        try {
            bound = target.value() == null ? longest.getAsInt() : templateBound(Template.parse(target.value()),
                    longest.getAsInt(), bindings);
        } catch (Template.TemplateSyntaxException | RuntimeException e) {
            return; // reported by the template check
        }
        long limit = provider.maxValueBytes().getAsLong();
        String at = target.value() == null ? path + ".name" : path + ".value";
        if (bound > limit && reported.add(at + "#size")) {
            error(at, "a value of up to " + bound + " bytes cannot fit store '" + target.store() + "' (type "
                    + provider.type() + "), which holds at most " + limit + " bytes" + where,
                    "shorten the generated value or the template");
        }
    }

    /** Generated values are ASCII: url-encoding triples a character, JSON escaping at most sextuples it. */
    private static long templateBound(Template template, int longest, Bindings bindings) {
        long bound = template.render(expression -> "").getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        for (Template.Placeholder ref : template.placeholders()) {
            String e = ref.expression();
            bound += switch (e) {
                case "secret" -> longest;
                case "secret.url" -> 3L * longest;
                case "secret.hex" -> 2L * longest;
                case "secret.base64", "secret.base64url" -> (longest + 2L) / 3 * 4;
                case "secret.json" -> 6L * longest;
                default -> bindings.render("${" + e + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            };
        }
        return bound;
    }

    private void error(String path, String message, String suggestion) {
        problems.add(Problem.error(index.value(path), path, message, suggestion));
    }
}
