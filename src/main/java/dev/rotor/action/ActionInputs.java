package dev.rotor.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the inputs of the GitHub Action ({@code INPUT_*} environment variables, named as GitHub names them:
 * upper case, hyphens kept) into Rotor command lines and the environment they run with. A pure translation:
 * nothing is read from disk and nothing runs here.
 *
 * <p>Token inputs never go into a command line: they are exposed in the environment under the names of
 * {@link #TOKENS}, which manifests reference as {@code ${env:ROTOR_GITHUB_TOKEN}}. Other secrets a manifest
 * needs (owner passwords, {@code provided} values) arrive as {@code secrets-json: ${{ toJSON(secrets) }}} with
 * {@code secret-env} naming the few to expose: only those reach the environment, the JSON itself never does.
 */
public final class ActionInputs {

    /** An input that {@code action.yml} declares and how the command line receives it. */
    public enum Input {
        COMMAND("command", null),
        MANIFEST("manifest", "--manifest"),
        ENVIRONMENT("environment", "--environment"),
        SECRETS("secrets", "--secret"),
        DRY_RUN("dry-run", "--dry-run"),
        ONLY_DUE("only-due", "--only-due"),
        EMERGENCY("emergency", "--emergency"),
        PROBE("probe", "--probe"),
        DRIFT("drift", "--drift"),
        REPORT("report", "--report"),
        AUDIT_LOG("audit-log", "--audit-log"),
        REASON("reason", "--reason"),
        FORMAT("format", "--format"),
        GITHUB_TOKEN("github-token", null),
        VAULT_TOKEN("vault-token", null),
        SECRET_ENV("secret-env", null),
        SECRETS_JSON("secrets-json", null);

        /** The name in action.yml. */
        public final String inputName;
        /** The Rotor option it becomes, or null (the command itself, tokens). */
        public final String option;

        Input(String inputName, String option) {
            this.inputName = inputName;
            this.option = option;
        }

        /** The environment variable the runner sets: {@code INPUT_} + the name in upper case, hyphens kept. */
        public String variable() {
            return "INPUT_" + inputName.toUpperCase(Locale.ROOT);
        }
    }

    /** Token inputs and the environment variable each is exposed as. */
    public static final Map<Input, String> TOKENS;

    static {
        Map<Input, String> tokens = new LinkedHashMap<>();
        tokens.put(Input.GITHUB_TOKEN, "ROTOR_GITHUB_TOKEN");
        tokens.put(Input.VAULT_TOKEN, "ROTOR_VAULT_TOKEN");
        TOKENS = Collections.unmodifiableMap(tokens);
    }

    /** A name {@code secret-env} may export: a portable environment variable name. */
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * Variables that change how the runner, the JVM or a verify command's process behaves, rather than carry a value
     * for the manifest: {@code secret-env} refuses them.
     */
    private static final Set<String> RESERVED = Set.of("PATH", "HOME", "BASH_ENV", "ENV", "JAVA_TOOL_OPTIONS",
            "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    private static final List<String> RESERVED_PREFIXES = List.of("GITHUB_", "RUNNER_", "ACTIONS_", "INPUT_", "LD_");

    /** The commands the action runs, and which option inputs each takes. */
    public static final Map<String, Set<Input>> COMMANDS;

    static {
        Map<String, Set<Input>> commands = new LinkedHashMap<>();
        commands.put("validate", EnumSet.of(Input.MANIFEST, Input.ENVIRONMENT, Input.SECRETS));
        commands.put("plan", EnumSet.of(Input.MANIFEST, Input.ENVIRONMENT, Input.SECRETS, Input.REPORT));
        commands.put("rotate", EnumSet.of(Input.MANIFEST, Input.ENVIRONMENT, Input.SECRETS, Input.DRY_RUN,
                Input.ONLY_DUE, Input.EMERGENCY, Input.PROBE, Input.REPORT, Input.AUDIT_LOG, Input.REASON));
        commands.put("status", EnumSet.of(Input.MANIFEST, Input.ENVIRONMENT, Input.SECRETS, Input.FORMAT, Input.DRIFT));
        commands.put("rollback", EnumSet.of(Input.MANIFEST, Input.ENVIRONMENT, Input.SECRETS, Input.REPORT,
                Input.AUDIT_LOG, Input.REASON));
        commands.put("repair", EnumSet.of(Input.MANIFEST, Input.ENVIRONMENT, Input.SECRETS, Input.REPORT,
                Input.AUDIT_LOG, Input.REASON));
        COMMANDS = Collections.unmodifiableMap(commands);
    }

    /** The inputs that are switches: set unless empty or a false, as action.yml's default "false" is. */
    private static final Set<Input> BOOLEANS = EnumSet.of(Input.DRY_RUN, Input.ONLY_DUE, Input.EMERGENCY, Input.PROBE,
            Input.DRIFT);
    private static final List<String> TRUE = List.of("true", "True", "TRUE");
    private static final List<String> FALSE = List.of("false", "False", "FALSE");

    /** Commands that change systems: one manifest per step, so that a concurrency group covers the whole run. */
    private static final Set<String> ONE_MANIFEST = Set.of("rotate", "rollback", "repair");

    /** Commands that write nothing, whatever their inputs. */
    private static final Set<String> READ_ONLY = Set.of("validate", "plan", "status");

    public static final String DEFAULT_COMMAND = "rotate";
    public static final String DEFAULT_MANIFEST = "rotation.yml";

    /**
     * What to run: one command line per manifest, all with the same environment. {@code fromSecrets} names the
     * variables of that environment that {@code secret-env} took from {@code secrets-json}.
     */
    public record Translation(List<List<String>> commandLines, Map<String, String> environment, List<String> warnings,
                              List<String> fromSecrets) {
        public Translation {
            commandLines = List.copyOf(commandLines.stream().map(List::copyOf).toList());
            warnings = List.copyOf(warnings);
            fromSecrets = List.copyOf(fromSecrets);
            environment = Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        }
    }

    /** An input that cannot be translated; the message names the input and says what to do. */
    public static final class InputException extends Exception {
        public InputException(String message) {
            super(message);
        }
    }

    private ActionInputs() {
    }

    /**
     * Translates the inputs found in {@code env}. The returned environment is {@code env} with each secret
     * {@code secret-env} names added from {@code secrets-json}, every token input moved to its {@code ROTOR_*}
     * name (a non-empty input wins over a variable already set), and the token and JSON inputs themselves removed.
     */
    public static Translation translate(Map<String, String> env) throws InputException {
        String command = value(env, Input.COMMAND);
        if (command.isEmpty()) {
            command = DEFAULT_COMMAND;
        }
        Set<Input> accepted = COMMANDS.get(command);
        if (accepted == null) {
            throw new InputException("input command: unknown command '" + command + "' (use one of "
                    + String.join(", ", COMMANDS.keySet()) + ")");
        }
        List<String> warnings = new ArrayList<>();
        for (Input input : Input.values()) {
            boolean option = input.option != null && input != Input.MANIFEST;
            if (option && !accepted.contains(input) && isSet(env, input)) {
                if (input == Input.DRY_RUN && !READ_ONLY.contains(command)) {
                    throw new InputException("input dry-run: '" + command + "' has no dry run and would write"
                            + " (run plan to see what it would do)");
                }
                // Reusable workflows pass every input; one that does not apply is ignored, and said so.
                warnings.add("input " + input.inputName + " does not apply to command '" + command
                        + "' and is ignored");
            }
        }

        List<String> manifests = list(value(env, Input.MANIFEST));
        if (manifests.isEmpty()) {
            manifests = List.of(DEFAULT_MANIFEST);
        }
        if (manifests.size() > 1 && ONE_MANIFEST.contains(command)) {
            throw new InputException("input manifest: '" + command + "' takes one manifest, got " + manifests.size()
                    + " (use one step per manifest, or a matrix)");
        }

        requireCompanions(command, env);

        List<String> options = new ArrayList<>();
        addValue(options, Input.ENVIRONMENT, accepted.contains(Input.ENVIRONMENT) ? value(env, Input.ENVIRONMENT) : "");
        for (String secret : accepted.contains(Input.SECRETS) ? list(value(env, Input.SECRETS)) : List.<String>of()) {
            addValue(options, Input.SECRETS, secret);
        }
        for (Input flag : BOOLEANS) {
            if (bool(env, flag) && accepted.contains(flag)) {
                options.add(flag.option);
            }
        }
        addValue(options, Input.REPORT, accepted.contains(Input.REPORT) ? value(env, Input.REPORT) : "");
        for (Input text : List.of(Input.AUDIT_LOG, Input.REASON)) {
            addValue(options, text, accepted.contains(text) ? value(env, text) : "");
        }
        String format = accepted.contains(Input.FORMAT) ? value(env, Input.FORMAT) : "";
        if (!format.isEmpty() && !List.of("text", "json", "prometheus").contains(format)) {
            throw new InputException("input format: '" + format + "' is not one of text, json, prometheus");
        }
        addValue(options, Input.FORMAT, format);

        List<List<String>> commandLines = new ArrayList<>();
        for (String manifest : manifests) {
            List<String> argv = new ArrayList<>();
            argv.add(command);
            argv.add(Input.MANIFEST.option);
            argv.add(manifest);
            argv.addAll(options);
            commandLines.add(argv);
        }
        Map<String, String> exported = secretEnvironment(env);
        return new Translation(commandLines, environment(env, exported), warnings, List.copyOf(exported.keySet()));
    }

    /**
     * The inputs the command refuses to run without, named as inputs: the command's own message names its options and
     * reaches the log only, where the annotation of an input error reaches the workflow run's page.
     */
    private static void requireCompanions(String command, Map<String, String> env) throws InputException {
        if (command.equals("rotate") && bool(env, Input.EMERGENCY) && value(env, Input.REASON).isEmpty()) {
            throw new InputException("input emergency: needs input reason (the incident), recorded in the report and"
                    + " the audit log");
        }
        if (command.equals("rotate") && bool(env, Input.EMERGENCY) && bool(env, Input.ONLY_DUE)) {
            throw new InputException("input emergency: rotates now, whatever is due; set only-due to false");
        }
        if (command.equals("rollback") && list(value(env, Input.SECRETS)).isEmpty()) {
            throw new InputException("input secrets: rollback needs the secrets to roll back (a rollback is always"
                    + " deliberate)");
        }
    }

    /**
     * The secrets {@code secret-env} names, each looked up in {@code secrets-json} (GitHub compares secret names
     * without case). Messages name inputs and secrets, never a value nor the JSON (a parser's message would quote
     * it).
     */
    private static Map<String, String> secretEnvironment(Map<String, String> env) throws InputException {
        List<String> names = list(value(env, Input.SECRET_ENV));
        Map<String, String> exported = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return exported;
        }
        String json = value(env, Input.SECRETS_JSON);
        if (json.isEmpty()) {
            throw new InputException("input secret-env: names " + String.join(", ", names) + " but input secrets-json"
                    + " is empty (pass secrets-json: ${{ toJSON(secrets) }})");
        }
        JsonNode secrets;
        try {
            secrets = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            secrets = null;
        }
        if (secrets == null || !secrets.isObject()) {
            throw new InputException("input secrets-json: not a JSON object (pass secrets-json: ${{ toJSON(secrets) }})");
        }
        Map<String, JsonNode> byUpperName = new LinkedHashMap<>();
        secrets.fields().forEachRemaining(f -> byUpperName.put(f.getKey().toUpperCase(Locale.ROOT), f.getValue()));
        List<String> missing = new ArrayList<>();
        for (String name : names) {
            String upper = name.toUpperCase(Locale.ROOT);
            if (!VARIABLE_NAME.matcher(name).matches() || RESERVED.contains(upper)
                    || RESERVED_PREFIXES.stream().anyMatch(upper::startsWith)) {
                throw new InputException("input secret-env: '" + name + "' cannot be exported (a variable name of"
                        + " letters, digits and _, not PATH, HOME, a JVM option variable nor GITHUB_, RUNNER_,"
                        + " ACTIONS_, INPUT_ or LD_*)");
            }
            JsonNode secret = byUpperName.get(upper);
            if (secret == null) {
                missing.add(name);
            } else if (!secret.isTextual()) {
                throw new InputException("input secrets-json: " + name + " is not a string");
            } else {
                exported.put(name, secret.asText());
            }
        }
        if (!missing.isEmpty()) {
            throw new InputException("input secret-env: no secret " + String.join(", ", missing) + " in secrets-json"
                    + " (a caller of a reusable workflow passes `secrets: inherit`; an environment secret needs the"
                    + " job's `environment:`)");
        }
        return exported;
    }

    private static Map<String, String> environment(Map<String, String> env, Map<String, String> exported) {
        Map<String, String> result = new LinkedHashMap<>(env);
        result.remove(Input.SECRETS_JSON.variable());
        result.putAll(exported);
        for (Map.Entry<Input, String> token : TOKENS.entrySet()) {
            String value = result.remove(token.getKey().variable());
            if (value != null && !value.isBlank()) {
                result.put(token.getValue(), value.strip());
            }
        }
        return result;
    }

    private static void addValue(List<String> options, Input input, String value) {
        if (!value.isEmpty()) {
            options.add(input.option);
            options.add(value);
        }
    }

    private static boolean isSet(Map<String, String> env, Input input) {
        String value = value(env, input);
        return !value.isEmpty() && !(BOOLEANS.contains(input) && FALSE.contains(value));
    }

    private static String value(Map<String, String> env, Input input) {
        String value = env.get(input.variable());
        return value == null ? "" : value.strip();
    }

    /** The YAML 1.2 core booleans, as {@code core.getBooleanInput} of the GitHub Actions toolkit takes them. */
    private static boolean bool(Map<String, String> env, Input input) throws InputException {
        String value = value(env, input);
        if (value.isEmpty() || FALSE.contains(value)) {
            return false;
        }
        if (TRUE.contains(value)) {
            return true;
        }
        throw new InputException("input " + input.inputName + ": '" + value + "' is not a boolean (use true or false)");
    }

    /** A comma- or newline-separated list; blanks and surrounding spaces dropped. */
    static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        for (String item : value.split("[,\\r\\n]")) {
            if (!item.isBlank()) {
                items.add(item.strip());
            }
        }
        return items;
    }
}
