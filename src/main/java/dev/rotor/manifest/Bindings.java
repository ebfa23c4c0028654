package dev.rotor.manifest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TEMPORARY minimal renderer; replaced by the manifest branch's full implementation on merge. */
public final class Bindings {
    private final EnvironmentSpec env;
    private final Map<String, String> processEnv;

    private Bindings(EnvironmentSpec env, Map<String, String> processEnv) {
        this.env = env;
        this.processEnv = processEnv;
    }

    public static Bindings of(Manifest m, EnvironmentSpec env, Map<String, String> processEnv) {
        return new Bindings(env, processEnv);
    }

    public String render(String template) {
        return render(template, null);
    }

    public String render(String template, String secretValue) {
        try {
            return Template.parse(template).render(expr -> resolve(expr, secretValue));
        } catch (Template.TemplateSyntaxException e) {
            throw new UnresolvedReferenceException(e.getMessage());
        }
    }

    private String resolve(String expr, String secret) {
        if (expr.equals("env")) {
            return env.name();
        }
        if (expr.equals("ENV")) {
            return env.name().toUpperCase().replace('-', '_');
        }
        if (expr.startsWith("vars.") && env.vars().containsKey(expr.substring(5))) {
            return render(env.vars().get(expr.substring(5)));
        }
        if (expr.startsWith("env:") && processEnv.containsKey(expr.substring(4))) {
            return processEnv.get(expr.substring(4));
        }
        if (secret != null && expr.equals("secret")) {
            return secret;
        }
        if (secret != null && expr.startsWith("secret.")) {
            return Encodings.encode(expr.substring(7), secret);
        }
        throw new UnresolvedReferenceException("cannot resolve ${" + expr + "}");
    }

    public Map<String, Object> renderAll(Map<String, Object> settings) {
        Map<String, Object> out = new LinkedHashMap<>();
        settings.forEach((k, v) -> out.put(k, renderValue(v)));
        return out;
    }

    @SuppressWarnings("unchecked")
    private Object renderValue(Object v) {
        if (v instanceof String s) {
            return render(s);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(this::renderValue).toList();
        }
        if (v instanceof Map<?, ?> m) {
            return renderAll((Map<String, Object>) m);
        }
        return v;
    }

    public static final class UnresolvedReferenceException extends RuntimeException {
        public UnresolvedReferenceException(String message) {
            super(message);
        }
    }
}
