package dev.rotor.manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders manifest templates for one environment: {@code ${env}}, {@code ${ENV}}, {@code ${vars.NAME}},
 * {@code ${env:NAME}}, and with a value {@code ${secret}} and {@code ${secret.ENCODING}}. Failures name the
 * reference, never a value.
 */
public final class Bindings {
    private final EnvironmentSpec environment;
    private final Map<String, String> processEnv;
    private final Map<String, String> resolvedVars = new HashMap<>();

    private Bindings(EnvironmentSpec environment, Map<String, String> processEnv) {
        this.environment = environment;
        this.processEnv = processEnv;
    }

    /** Bindings for {@code env} of {@code manifest}; throws UnresolvedReferenceException if its vars form a cycle. */
    public static Bindings of(Manifest manifest, EnvironmentSpec env, Map<String, String> processEnv) {
        Objects.requireNonNull(manifest, "manifest");
        Bindings bindings = new Bindings(Objects.requireNonNull(env, "env"), Map.copyOf(processEnv));
        for (String name : env.vars().keySet()) {
            Optional<List<String>> cycle = Variables.cycleFrom(name, env.vars());
            if (cycle.isPresent()) {
                throw new UnresolvedReferenceException("vars." + name,
                        "variables refer to each other in a cycle: " + String.join(" -> ", cycle.get()));
            }
        }
        return bindings;
    }

    /** The environment these bindings render for. */
    public EnvironmentSpec environment() {
        return environment;
    }

    /** Renders a template that may not use {@code ${secret}}. */
    public String render(String template) {
        return render(template, null, false);
    }

    /**
     * Renders a template with {@code ${secret}} and {@code ${secret.ENCODING}} standing for {@code secretValue};
     * with a null value it renders as {@link #render(String)} does, refusing {@code ${secret}}.
     */
    public String render(String template, String secretValue) {
        return render(template, secretValue == null ? null : SecretValue.of(secretValue));
    }

    /** Renders a template with {@code ${secret...}} standing for {@code secret} and its fields. */
    public String render(String template, SecretValue secret) {
        return render(template, secret, secret != null);
    }

    /** Fields whose text is no secret: a user name, a key id, public keys. */
    private static final java.util.Set<String> PUBLIC_FIELDS = java.util.Set.of(SecretValue.USERNAME, SecretValue.KID,
            SecretValue.JWKS);

    /**
     * Whether what a template renders carries secret material (the value, an encoding of it, the password, the key
     * set), so it is masked; a copy of only a user name or a key id is not, and stays readable in the output. A raw
     * copy (no template) always does.
     */
    public static boolean carriesSecret(String template) {
        if (template == null) {
            return true;
        }
        try {
            return Template.parse(template).placeholders().stream().map(p -> Reference.parse(p.expression()))
                    .anyMatch(r -> r.kind() == Reference.Kind.SECRET || r.kind() == Reference.Kind.SECRET_ENCODED
                            && !PUBLIC_FIELDS.contains(String.valueOf(Reference.field(r.argument()))));
        } catch (Template.TemplateSyntaxException e) {
            return true;
        }
    }

    /** Whether a template uses {@code ${secret...}} (a keyset's per-version entry name uses {@code ${secret.kid}}). */
    public static boolean usesSecret(String template) {
        try {
            return template != null && Template.parse(template).placeholders().stream()
                    .map(p -> Reference.parse(p.expression()).kind())
                    .anyMatch(k -> k == Reference.Kind.SECRET || k == Reference.Kind.SECRET_ENCODED);
        } catch (Template.TemplateSyntaxException e) {
            return false; // reported by validate
        }
    }

    /** Renders every string of a settings tree (lists and maps recursed, other scalars kept); no {@code ${secret}}. */
    public Map<String, Object> renderAll(Map<String, Object> settings) {
        Map<String, Object> out = new LinkedHashMap<>();
        settings.forEach((key, value) -> out.put(key, renderValue(value)));
        return out;
    }

    private Object renderValue(Object value) {
        if (value instanceof String s) {
            return render(s);
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(renderValue(item)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((key, item) -> out.put(String.valueOf(key), renderValue(item)));
            return out;
        }
        return value;
    }

    private String render(String template, SecretValue secretValue, boolean secretAllowed) {
        Template parsed;
        try {
            parsed = Template.parse(template);
        } catch (Template.TemplateSyntaxException e) {
            throw new IllegalArgumentException("template syntax error at offset " + e.offset() + ": " + e.getMessage());
        }
        return parsed.render(expression -> resolve(expression, secretValue, secretAllowed));
    }

    private String resolve(String expression, SecretValue secretValue, boolean secretAllowed) {
        Reference ref = Reference.parse(expression);
        return switch (ref.kind()) {
            case ENVIRONMENT -> environment.name();
            case ENVIRONMENT_UPPER -> environment.name().toUpperCase(Locale.ROOT).replace('-', '_');
            case VARIABLE -> variable(ref.argument());
            case PROCESS_ENV -> {
                String value = processEnv.get(ref.argument());
                if (value == null) {
                    throw new UnresolvedReferenceException(expression,
                            "environment variable " + ref.argument() + " is not set");
                }
                yield value;
            }
            case SECRET, SECRET_ENCODED -> {
                if (!secretAllowed) {
                    throw new UnresolvedReferenceException(expression, "the secret is not available here");
                }
                if (ref.kind() == Reference.Kind.SECRET) {
                    yield secretValue.value();
                }
                String field = Reference.field(ref.argument());
                String text = field == null ? secretValue.value() : secretValue.field(field);
                if (text == null) {
                    java.util.Set<String> fields = new java.util.TreeSet<>(secretValue.fields().keySet());
                    fields.add(SecretValue.PASSWORD);
                    throw new UnresolvedReferenceException(expression, "this secret has no field '" + field
                            + "' (it has " + String.join(", ", fields) + ")");
                }
                String encoding = Reference.encoding(ref.argument());
                if (encoding == null) {
                    yield text;
                }
                if (!Encodings.exists(encoding)) {
                    throw new UnresolvedReferenceException(expression, "unknown encoding '" + encoding
                            + "' (known: " + String.join(", ", Encodings.names()) + ")");
                }
                yield Encodings.encode(encoding, text);
            }
            case UNKNOWN -> throw new UnresolvedReferenceException(expression, "unknown reference");
        };
    }

    private String variable(String name) {
        String cached = resolvedVars.get(name);
        if (cached != null) {
            return cached;
        }
        String template = environment.vars().get(name);
        if (template == null) {
            String where = environment.name().isEmpty() ? "this manifest" : "environment '" + environment.name() + "'";
            throw new UnresolvedReferenceException("vars." + name, "variable '" + name + "' is not defined in " + where);
        }
        String value = render(template);
        resolvedVars.put(name, value);
        return value;
    }
}
