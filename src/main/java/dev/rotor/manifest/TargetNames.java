package dev.rotor.manifest;

import dev.rotor.store.Provider;

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
    private final Map<String, Provider> providers;
    private final Map<String, String> environment;
    private final Map<String, String> credentialVariables;
    private final List<Problem> problems;
    /** Each problem is reported once even when it holds in several environments. */
    private final Set<String> reported = new HashSet<>();

    TargetNames(Manifest manifest, NodeIndex index, Map<String, Provider> providers, Map<String, String> environment,
                Map<String, String> credentialVariables, List<Problem> problems) {
        this.manifest = manifest;
        this.index = index;
        this.providers = providers;
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
        Provider provider = store == null || store.type() == null ? null : providers.get(store.type());
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

    private void error(String path, String message, String suggestion) {
        problems.add(Problem.error(index.value(path), path, message, suggestion));
    }
}
