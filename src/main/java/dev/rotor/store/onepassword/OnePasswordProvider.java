package dev.rotor.store.onepassword;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.rotor.http.HttpClients;
import dev.rotor.http.Time;
import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Capability;
import dev.rotor.store.Provider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.Store;

/**
 * {@code type: onepassword}: fields of 1Password items through a 1Password Connect server. A target, never a journal
 * (Connect cannot refuse a stale write). See docs/onepassword.md.
 */
public final class OnePasswordProvider implements Provider {
    private final Time time;
    private final int maxAttempts;

    public OnePasswordProvider() {
        this(Time.SYSTEM, ConnectClient.DEFAULT_ATTEMPTS);
    }

    /** With another clock and sleeper and retry bound: for tests. */
    public OnePasswordProvider(Time time, int maxAttempts) {
        this.time = time;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public String type() {
        return "onepassword";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("host", "token", "vault", "ca-bundle");
    }

    @Override
    public Set<String> requiredSettingKeys() {
        return Set.of("token", "vault");
    }

    /** The Connect server token: an {@code ${env:NAME}} reference, never a literal. */
    @Override
    public Set<String> credentialKeys() {
        return Set.of("token");
    }

    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return OnePasswordSettings.check(settings);
    }

    @Override
    public Set<String> targetKeys() {
        return ItemTarget.KEYS;
    }

    @Override
    public Set<String> requiredTargetKeys() {
        return Set.of("item");
    }

    @Override
    public List<KeyProblem> checkTarget(Map<String, Object> settings, Map<String, Object> scope) {
        return ItemTarget.check(scope);
    }

    @Override
    public String checkTargetName(String name) {
        return name == null || name.isBlank() ? "a 1Password field label must not be empty" : null;
    }

    @Override
    public Set<Capability> capabilities() {
        return OnePasswordStore.CAPABILITIES;
    }

    /** Opens the store without any network call: the vault, the token and its access are checked on first use. */
    @Override
    public Store openStore(String storeName, Map<String, Object> settings, ProviderContext context) {
        Map<String, String> environment = context.environment() == null ? Map.of() : context.environment();
        OnePasswordSettings parsed = OnePasswordSettings.parse(storeName, settings, environment, context.baseDirectory());
        ConnectClient client = new ConnectClient(HttpClients.create(environment, parsed.caBundle()), parsed.host(),
                parsed.token(), time, maxAttempts, storeName, context.progress(), context.resends());
        return new OnePasswordStore(storeName, parsed, client);
    }
}
