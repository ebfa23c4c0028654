package dev.rotor.store.onepassword;

import dev.rotor.manifest.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Address;
import dev.rotor.store.StoreException;

/**
 * One target of a onepassword store: the field labelled {@code name} of the item {@code item} (title or id),
 * optionally inside the section {@code section} (label or id); {@code category} is used only when Rotor creates the
 * item. Validate and the store read a target through this one class.
 */
record ItemTarget(String item, String label, String section, String category) {
    static final Set<String> KEYS = Set.of("item", "section", "category");
    /**
     * A created item is a Password item by default: 1Password shows its field as a concealed password with a
     * copy button and keeps the item's password history, and it needs no username or website Rotor does not know.
     */
    static final String DEFAULT_CATEGORY = "PASSWORD";
    /** The categories of Connect's item schema that Connect can create (it refuses DOCUMENT and CUSTOM). */
    static final Set<String> CATEGORIES = Set.of("LOGIN", "PASSWORD", "API_CREDENTIAL", "SERVER", "DATABASE",
            "CREDIT_CARD", "MEMBERSHIP", "PASSPORT", "SOFTWARE_LICENSE", "OUTDOOR_LICENSE", "SECURE_NOTE",
            "WIRELESS_ROUTER", "BANK_ACCOUNT", "DRIVER_LICENSE", "IDENTITY", "REWARD_PROGRAM", "EMAIL_ACCOUNT",
            "SOCIAL_SECURITY_NUMBER", "MEDICAL_RECORD", "SSH_KEY");

    /**
     * For validate: the problems of one target's keys (values still holding a template are checked at plan; a
     * missing {@code item} is reported by validate as a required key).
     */
    static List<KeyProblem> check(Map<String, Object> scope) {
        List<KeyProblem> problems = new ArrayList<>();
        read(null, scope, problems);
        return problems;
    }

    /** The target of an address, or an INVALID StoreException naming every problem. */
    static ItemTarget of(String storeName, Address address) {
        List<KeyProblem> problems = new ArrayList<>();
        ItemTarget target = read(address.name(), address.scope(), problems);
        if (!address.scope().containsKey("item")) {
            problems.add(new KeyProblem(null, "a onepassword target needs item: the title or id of the 1Password "
                    + "item that holds the field", null));
        }
        if (address.name() == null || address.name().isBlank()) {
            problems.add(new KeyProblem("name", "a target needs a name (the label of the item's field)", null));
        }
        if (!problems.isEmpty()) {
            throw new StoreException(StoreException.Kind.INVALID, "store '" + storeName + "' (onepassword): target "
                    + address.describe() + ": " + String.join("; ", problems.stream().map(KeyProblem::message).toList()),
                    "give the target `item:` (the item's title or id) and `name:` (the field's label)");
        }
        return target;
    }

    private static ItemTarget read(String label, Map<String, Object> scope, List<KeyProblem> problems) {
        String item = OnePasswordSettings.text(scope, "item");
        if (item == null && scope.containsKey("item")) {
            problems.add(new KeyProblem("item", "item is empty: give the title or id of the 1Password item that "
                    + "holds the field", null));
        }
        String section = OnePasswordSettings.text(scope, "section");
        if (section == null && scope.containsKey("section")) {
            problems.add(new KeyProblem("section", "section is empty: give the label of the item's section, or "
                    + "leave section out", null));
        }
        String category = OnePasswordSettings.text(scope, "category");
        if (category == null) {
            category = DEFAULT_CATEGORY;
        } else if (!Template.unrendered(category)) {
            category = category.toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
            if (!CATEGORIES.contains(category)) {
                problems.add(new KeyProblem("category", "category '" + scope.get("category") + "' is not an item "
                        + "category Connect can create", "use one of PASSWORD (default), LOGIN, DATABASE, "
                        + "API_CREDENTIAL, SERVER, SECURE_NOTE"));
            }
        }
        return new ItemTarget(item, label, section, category);
    }

    /** How messages name the field: {@code field 'password' (section 'Admin') of item 'X'}. */
    String describe() {
        return "field '" + label + "'" + (section == null ? "" : " (section '" + section + "')") + " of item '" + item
                + "'";
    }
}
