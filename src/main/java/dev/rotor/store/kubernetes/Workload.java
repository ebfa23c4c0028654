package dev.rotor.store.kubernetes;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A workload a target's {@code restart:} names, {@code deployment/backend}, {@code statefulset/db} or
 * {@code daemonset/agent} (kubectl's short names deploy, sts and ds too). No client type here: validate parses it.
 */
record Workload(Kind kind, String name) {
    static final String FORMS = "restart must be deployment/NAME, statefulset/NAME or daemonset/NAME, or a list of them";

    enum Kind {
        DEPLOYMENT("deployment", "deployments", "Deployment", "deploy"),
        STATEFULSET("statefulset", "statefulsets", "StatefulSet", "sts"),
        DAEMONSET("daemonset", "daemonsets", "DaemonSet", "ds");

        final String word;
        final String plural;
        final String apiKind;
        final String shortName;

        Kind(String word, String plural, String apiKind, String shortName) {
            this.word = word;
            this.plural = plural;
            this.apiKind = apiKind;
            this.shortName = shortName;
        }
    }

    /** As kubectl writes it: {@code deployment/backend}. */
    String describe() {
        return kind.word + "/" + name;
    }

    /** The workloads of a {@code restart:} value (a string or a list of strings); IllegalArgumentException if invalid. */
    static List<Workload> parse(Object restart) {
        List<Workload> out = new ArrayList<>();
        if (restart == null) {
            return out;
        }
        List<?> items = restart instanceof List<?> list ? list : List.of(restart);
        for (Object item : items) {
            out.add(parseOne(item));
        }
        return out;
    }

    private static Workload parseOne(Object item) {
        if (!(item instanceof String text)) {
            throw new IllegalArgumentException(FORMS);
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(FORMS + ", not '" + text + "'");
        }
        String kind = text.substring(0, slash).trim().toLowerCase(Locale.ROOT);
        String name = text.substring(slash + 1).trim();
        for (Kind k : Kind.values()) {
            if (kind.equals(k.word) || kind.equals(k.plural) || kind.equals(k.shortName)) {
                if (!ClusterSettings.objectName(name)) {
                    throw new IllegalArgumentException("'" + name + "' in restart is not a " + k.word + " name "
                            + "(lower-case letters, digits, '-' and '.')");
                }
                return new Workload(k, name);
            }
        }
        throw new IllegalArgumentException(FORMS + ", not '" + text + "'");
    }
}
