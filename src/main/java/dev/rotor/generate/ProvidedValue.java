package dev.rotor.generate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code provided}: a value the user supplies (an OAuth client secret that must match the provider's console), never
 * generated. It comes from the environment variable {@code variable} (action inputs are passed as environment
 * variables too) or, when that is unset or empty, from the dotenv {@code file} relative to the manifest's folder.
 */
final class ProvidedValue implements Generator {
    static final Option<String> VARIABLE = Option.requiredText("variable", name ->
            name.matches("[A-Za-z_][A-Za-z0-9_]*") ? null
                    : "must be an environment variable name (letters, digits, underscores; not starting with a digit)");
    static final Option<String> FILE = Option.text("file", null, path ->
            path.isBlank() ? "must name a dotenv file, relative to the manifest's folder" : null);

    static final GeneratorType TYPE = new GeneratorType("provided", List.of(VARIABLE, FILE),
            (options, context) -> new ProvidedValue(options.get(VARIABLE), options.get(FILE), context.environment(),
                    context.baseDirectory()));

    private final String variable;
    private final String file;
    private final Map<String, String> environment;
    private final Path baseDirectory;

    private ProvidedValue(String variable, String file, Map<String, String> environment, Path baseDirectory) {
        this.variable = variable;
        this.file = file;
        this.environment = environment;
        this.baseDirectory = baseDirectory;
    }

    @Override
    public String generate() {
        String fromEnvironment = environment.get(variable);
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return fromEnvironment;
        }
        if (file == null) {
            throw new GenerationException(variable + " is not set: set " + variable + " in the environment"
                    + " (in the GitHub Action, pass it in the step's env:); its value is provided, never generated");
        }
        Optional<String> fromFile = fromFile();
        if (fromFile.isPresent() && !fromFile.get().isEmpty()) {
            return fromFile.get();
        }
        throw new GenerationException(variable + " is not set: set " + variable + " in the environment or in "
                + file + (fromFile.isEmpty() && !Files.exists(baseDirectory.resolve(file)) ? " (that file does not exist)"
                : "") + "; its value is provided, never generated");
    }

    private Optional<String> fromFile() {
        try {
            return DotEnv.lookup(Files.readAllLines(baseDirectory.resolve(file), StandardCharsets.UTF_8), variable);
        } catch (DotEnv.MalformedLine malformed) {
            throw new GenerationException(file + " line " + malformed.line() + ": " + malformed.getMessage());
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException unreadable) {
            throw new GenerationException("cannot read " + file + " for " + variable + " ("
                    + unreadable.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public List<String> policyViolations(String value) {
        if (value == null || value.isBlank()) {
            return List.of("is empty");
        }
        if (!value.equals(value.strip())) {
            return List.of("has leading or trailing whitespace");
        }
        return List.of();
    }
}
