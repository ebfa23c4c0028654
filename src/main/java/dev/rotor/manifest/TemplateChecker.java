package dev.rotor.manifest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Checks the templates of a manifest: syntax, known references, variables defined, {@code ${secret}} only where allowed. */
final class TemplateChecker {
    static final String SECRET_PLACES = "${secret} is only allowed in a target's 'value', a command check and a hook's 'env'";

    private final Manifest manifest;
    private final NodeIndex index;
    private final List<Problem> problems;

    TemplateChecker(Manifest manifest, NodeIndex index, List<Problem> problems) {
        this.manifest = manifest;
        this.index = index;
        this.problems = problems;
    }

    /** Checks every string of a settings tree against all environments; no {@code ${secret}}. */
    void checkTree(String path, Object value) {
        checkTree(path, value, null);
    }

    /** As {@link #checkTree(String, Object)}, with {@code ${secret}} and these fields of it allowed (null: none). */
    void checkTree(String path, Object value, Set<String> secretFields) {
        if (value instanceof String s) {
            check(path, s, secretFields, manifest.environments().values());
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                checkTree(Paths.item(path, i), list.get(i), secretFields);
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> checkTree(Paths.child(path, String.valueOf(key)), item, secretFields));
        }
    }

    /**
     * Checks one template; {@code ${vars.x}} must be defined in each of {@code environments}; {@code ${secret}} and
     * {@code ${secret.FIELD}} only with the fields given (null: no {@code ${secret}} at all).
     */
    void check(String path, String template, Set<String> secretFields, Collection<EnvironmentSpec> environments) {
        if (template == null) {
            return;
        }
        Template parsed;
        try {
            parsed = Template.parse(template);
        } catch (Template.TemplateSyntaxException e) {
            error(path, e.offset(), "bad template: " + e.getMessage(), "");
            return;
        }
        for (Template.Placeholder r : parsed.placeholders()) {
            Reference ref = Reference.parse(r.expression());
            switch (ref.kind()) {
                case UNKNOWN -> error(path, r.offset(), "unknown reference '${" + r.expression() + "}'",
                        suggestFor(r.expression()));
                case SECRET, SECRET_ENCODED -> {
                    if (secretFields == null) {
                        error(path, r.offset(), SECRET_PLACES, "render derived values in a target's 'value'");
                    } else if (ref.kind() == Reference.Kind.SECRET_ENCODED) {
                        checkSecretField(path, r, ref.argument(), secretFields);
                    }
                }
                case VARIABLE -> checkVariable(path, r.offset(), ref.argument(), environments);
                default -> {
                }
            }
        }
    }

    private void checkSecretField(String path, Template.Placeholder r, String argument, Set<String> fields) {
        String field = Reference.field(argument);
        String encoding = Reference.encoding(argument);
        if (field != null && !SecretValue.fieldsOf("alternating-users").contains(field)
                && !SecretValue.fieldsOf("keyset").contains(field)) {
            List<String> known = new ArrayList<>(Encodings.names());
            known.addAll(new TreeSet<>(fields));
            error(path, r.offset(), "unknown " + (argument.contains(".") ? "field" : "encoding") + " '" + field
                    + "' in '${" + r.expression() + "}'", Suggestions.didYouMean(field, known, "encodings and fields"));
        } else if (field != null && !fields.contains(field)) {
            error(path, r.offset(), "field '" + field + "' is not available here in '${" + r.expression() + "}'",
                    field.equals(SecretValue.USERNAME) ? "${secret.username} is given by 'strategy: alternating-users'"
                            : "${secret." + field + "} is given by 'strategy: keyset'" + (fields.contains(
                            SecretValue.PASSWORD) ? "" : "; an entry name may use only ${secret.kid}"));
        } else if (encoding != null && !Encodings.exists(encoding)) {
            error(path, r.offset(), "unknown encoding '" + encoding + "' in '${" + r.expression() + "}'",
                    Suggestions.didYouMean(encoding, Encodings.names(), "encodings"));
        }
    }

    private void checkVariable(String path, int offset, String name, Collection<EnvironmentSpec> environments) {
        if (manifest.environments().isEmpty()) {
            error(path, offset, "unknown variable '" + name + "': the manifest declares no environments",
                    "declare it under environments.NAME.vars");
            return;
        }
        List<String> missing = new ArrayList<>();
        List<String> known = new ArrayList<>();
        for (EnvironmentSpec env : environments) {
            if (!env.vars().containsKey(name)) {
                missing.add(env.name());
                known.addAll(env.vars().keySet());
            }
        }
        if (!missing.isEmpty()) {
            String nearest = Suggestions.nearest(name, known).map(s -> "did you mean 'vars." + s + "'? or ").orElse("");
            error(path, offset, "variable '" + name + "' is not defined in environment"
                            + (missing.size() > 1 ? "s " : " ") + "'" + String.join("', '", missing) + "'",
                    nearest + "add it under environments." + missing.get(0) + ".vars");
        }
    }

    private static String suggestFor(String expression) {
        if (expression.startsWith("env.")) {
            return "did you mean '${env:" + expression.substring(4) + "}'?";
        }
        if (expression.startsWith("var.")) {
            return "did you mean '${vars." + expression.substring(4) + "}'?";
        }
        if (expression.startsWith("vars:")) {
            return "did you mean '${vars." + expression.substring(5) + "}'?";
        }
        return Suggestions.nearest(expression, List.of("env", "ENV", "secret")).map(s -> "did you mean '${" + s + "}'?")
                .orElse("use ${" + String.join("}, ${", Reference.FORMS) + "}");
    }

    private void error(String path, int offset, String message, String suggestion) {
        problems.add(Problem.error(index.inside(path, offset), path, message, suggestion));
    }
}
