package dev.rotor.manifest;

import java.util.List;
import java.util.stream.Collectors;

/** All problems found in a manifest, reported together. */
public class ManifestException extends Exception {
    private final List<Problem> problems;

    public ManifestException(List<Problem> problems) {
        super(problems.stream().map(Problem::format).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
