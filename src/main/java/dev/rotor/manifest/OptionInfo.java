package dev.rotor.manifest;

import java.util.List;

/**
 * What one option of a type accepts, for validation messages and the JSON Schema: {@code kind} is integer, string
 * or list; {@code allowed} lists the valid names (empty when free); {@code minimum}/{@code maximum} bound integers.
 */
public record OptionInfo(String key, String kind, boolean required, Object defaultValue, List<String> allowed,
                         Integer minimum, Integer maximum) {
}
