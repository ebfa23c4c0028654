package dev.rotor.verify;

import dev.rotor.manifest.SecretValue;
import dev.rotor.manifest.CheckSpec;
import dev.rotor.manifest.Durations;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/** The {@code verify:} check types, keyed by the discriminating key, with the keys each allows. */
public final class Checks {
    public static final Map<String, Set<String>> KEYS = Map.of(
            "http", Set.of("http", "expect", "contains", "retries", "interval", "timeout", "method"),
            "command", Set.of("command", "env", "timeout", "workdir"));
    /** The check keys whose value is a duration. */
    public static final Set<String> DURATION_KEYS = Set.of("timeout", "interval");

    private Checks() {
    }

    /**
     * A check from its spec. {@code render} renders a template with the new value (null: without it); options are
     * rendered when the check runs, so the value never sits in a check's fields. {@code progress} hears of retries.
     */
    public static Check create(CheckSpec spec, BiFunction<String, SecretValue, String> render, Path baseDirectory,
                               java.util.function.Consumer<String> progress) {
        Map<String, Object> o = spec.options();
        Duration timeout = duration(o.get("timeout"), spec.type().equals("http") ? "10s" : "10m");
        if (spec.type().equals("http")) {
            return new HttpCheck(render.apply(String.valueOf(o.get("http")), null), expectedStatuses(o.get("expect")),
                    o.get("contains") == null ? null : String.valueOf(o.get("contains")),
                    Integer.parseInt(String.valueOf(o.getOrDefault("retries", 3))),
                    duration(o.get("interval"), "5s"), timeout, progress);
        }
        return new CommandCheck(o.get("command"), o.get("env") instanceof Map<?, ?> env ? env : Map.of(), render,
                baseDirectory.resolve(String.valueOf(o.getOrDefault("workdir", "."))), timeout);
    }

    private static Duration duration(Object value, String fallback) {
        return Durations.parse(value == null ? fallback : value.toString());
    }

    private static List<Integer> expectedStatuses(Object expect) {
        if (expect == null) {
            return List.of(200);
        }
        if (expect instanceof List<?> list) {
            return list.stream().map(x -> Integer.parseInt(x.toString())).toList();
        }
        return List.of(Integer.parseInt(expect.toString()));
    }
}
