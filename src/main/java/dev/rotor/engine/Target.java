package dev.rotor.engine;

import dev.rotor.manifest.Bindings;
import dev.rotor.store.Address;
import dev.rotor.store.Store;

/** One resolved copy of a unit's value: the store, the rendered address and the template of a derived value. */
public record Target(String storeName, Store store, Address address, String valueTemplate) {
    public String describe() {
        return storeName + ":" + address.describe();
    }

    /** The value this target holds for a secret value: the raw value or its rendered derived form. */
    String valueFor(String secret, Bindings bindings) {
        return valueTemplate == null ? secret : bindings.render(valueTemplate, secret);
    }
}
