package dev.rotor.engine;

import dev.rotor.manifest.Bindings;
import dev.rotor.manifest.SecretValue;
import dev.rotor.store.Address;
import dev.rotor.store.Store;

/**
 * One resolved copy of a unit's value: the store, the rendered address and the template of a derived value.
 * {@code next} marks a dual-password NEXT copy. A keyset's per-version copy ({@code name: ${secret.kid}}) keeps
 * its name template: its address is rendered for each key id, and {@code address} shows the template.
 */
public record Target(String storeName, Store store, Address address, String versionName, String valueTemplate,
                     boolean next) {
    public String describe() {
        return storeName + ":" + address.describe();
    }

    /** One entry per live key version, named by the key id. */
    boolean perVersion() {
        return versionName != null;
    }

    /** The address of this copy for a credential (a per-version copy: the entry of its key id). */
    Address addressFor(SecretValue secret, Bindings bindings) {
        return perVersion() ? new Address(bindings.render(versionName, secret), address.scope()) : address;
    }

    String describe(Address at) {
        return storeName + ":" + at.describe();
    }

    /** The value this target holds for a secret: the raw value or its rendered derived form. */
    String valueFor(SecretValue secret, Bindings bindings) {
        return valueTemplate == null ? secret.value() : bindings.render(valueTemplate, secret);
    }
}
