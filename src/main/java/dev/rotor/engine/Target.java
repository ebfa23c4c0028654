package dev.rotor.engine;

import dev.rotor.manifest.Bindings;
import dev.rotor.manifest.SecretValue;
import dev.rotor.store.Address;
import dev.rotor.store.Store;

import java.util.Map;

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

    /**
     * The address of this copy for the credential named {@code kid} (a per-version copy: the entry of that key id;
     * its name may use only {@code ${secret.kid}}, so nothing else of the credential is rendered).
     */
    Address addressFor(String kid, Bindings bindings) {
        return perVersion() ? new Address(bindings.render(versionName, new SecretValue("", Map.of(SecretValue.KID,
                kid))), address.scope()) : address;
    }

    /**
     * Masks what this copy holds (read or about to be written), unless it holds only a user name or a key id
     * ({@link Bindings#carriesSecret}): those stay readable in the output.
     */
    void mask(String value, Output console) {
        if (Bindings.carriesSecret(valueTemplate)) {
            console.mask(value);
        }
    }

    String describe(Address at) {
        return storeName + ":" + at.describe();
    }

    /** The value this target holds for a secret: the raw value or its rendered derived form. */
    String valueFor(SecretValue secret, Bindings bindings) {
        return valueTemplate == null ? secret.value() : bindings.render(valueTemplate, secret);
    }
}
