package dev.rotor.store.github;

import dev.rotor.manifest.Template;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Address;
import dev.rotor.store.StoreException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A GitHub target's scope: the app (actions, dependabot, codespaces), the environment, and for an organization
 * store the visibility and selected repositories. Its rules are checked by {@code validate} (at each key) and again
 * by the store on the rendered scope.
 */
record GithubTarget(String name, String app, String environment, String visibility, List<String> selected) {
    static final Set<String> APPS = Set.of("actions", "dependabot", "codespaces");
    static final Set<String> VISIBILITIES = Set.of("all", "private", "selected");

    /**
     * Every rule the scope breaks, for a store that is an organization's (or a repository store); a value that is
     * still a template is checked once rendered.
     */
    static List<KeyProblem> problems(Map<String, Object> scope, boolean organizationStore, String organization) {
        List<KeyProblem> problems = new ArrayList<>();
        String app = text(scope.get("app"), "actions").toLowerCase(Locale.ROOT);
        if (!Template.unrendered(app) && !APPS.contains(app)) {
            problems.add(new KeyProblem("app", "app must be actions, dependabot or codespaces", ""));
        }
        String environment = text(scope.get("environment"), null);
        String visibility = text(scope.get("visibility"), null);
        List<String> selected = list(scope.get("selected-repositories"));
        if (organizationStore) {
            if (environment != null) {
                problems.add(new KeyProblem("environment", "environment applies to repository stores, not to "
                        + "organization " + organization, "remove it, or write to a repository store"));
            }
            if (visibility == null) {
                problems.add(new KeyProblem(null, "an organization secret needs visibility: all, private or selected "
                        + "(Rotor never guesses it)", "add 'visibility: private' (or all, or selected)"));
            } else if (!Template.unrendered(visibility) && !VISIBILITIES.contains(visibility)) {
                problems.add(new KeyProblem("visibility", "visibility must be all, private or selected", ""));
            } else if ("selected".equals(visibility) && selected == null) {
                problems.add(new KeyProblem("visibility", "visibility selected needs selected-repositories (writing "
                        + "without them would clear the list)", "add 'selected-repositories: [repo, ...]'"));
            } else if (!"selected".equals(visibility) && !Template.unrendered(visibility) && selected != null) {
                problems.add(new KeyProblem("selected-repositories", "selected-repositories applies only with "
                        + "visibility selected", ""));
            }
        } else {
            if (visibility != null || selected != null) {
                problems.add(new KeyProblem(visibility != null ? "visibility" : "selected-repositories",
                        "visibility and selected-repositories apply to organization secrets only", ""));
            }
            if (environment != null && !Template.unrendered(app) && !"actions".equals(app)) {
                problems.add(new KeyProblem("environment", "environment secrets are Actions secrets (app: actions)",
                        ""));
            }
        }
        return problems;
    }

    /** The rendered target, or a StoreException naming every rule it breaks. */
    static GithubTarget of(String storeName, Address address, GithubSettings settings) {
        List<String> problems = new ArrayList<>();
        for (String key : address.scope().keySet()) {
            if (!GithubProvider.TARGET_KEYS.contains(key)) {
                problems.add("unknown target key '" + key + "'");
            }
        }
        String nameProblem = GithubProvider.nameProblem(address.name());
        if (nameProblem != null) {
            problems.add(nameProblem);
        }
        problems(address.scope(), settings.organizationStore(), settings.organization())
                .forEach(p -> problems.add(p.message()));
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (github) target "
                    + address.describe() + ": " + String.join("; ", problems), "see docs/github.md");
        }
        Map<String, Object> scope = address.scope();
        return new GithubTarget(address.name(), text(scope.get("app"), "actions").toLowerCase(Locale.ROOT),
                text(scope.get("environment"), null), text(scope.get("visibility"), null),
                list(scope.get("selected-repositories")));
    }

    private static String text(Object value, String fallback) {
        if (value == null || String.valueOf(value).isBlank()) {
            return fallback;
        }
        return String.valueOf(value).trim();
    }

    private static List<String> list(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Collection<?> items) {
            return items.stream().map(item -> String.valueOf(item).trim()).toList();
        }
        return List.of(String.valueOf(value).trim());
    }
}
