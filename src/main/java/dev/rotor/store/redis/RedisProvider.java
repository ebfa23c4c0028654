package dev.rotor.store.redis;

import dev.rotor.manifest.Template;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.store.Owner;
import dev.rotor.store.OwnerProvider;
import dev.rotor.store.ProviderContext;
import dev.rotor.store.StoreException;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code type: redis}: an owner, not a store. The credential is a Redis ACL user's password; the store's settings
 * say how Rotor connects as an admin allowed to run ACL SETUSER. See docs/redis.md.
 */
public final class RedisProvider implements OwnerProvider {
    static final Set<String> SETTING_KEYS = Set.of("host", "port", "username", "password", "tls", "database", "persist");

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public Set<String> strategies() {
        return Set.of("single-user", "dual-password", "alternating-users");
    }

    @Override
    public Set<String> ownerKeys() {
        return ALTERNATING_USER_KEYS;
    }

    @Override
    public Set<String> settingKeys() {
        return SETTING_KEYS;
    }

    /** The admin's password: an {@code ${env:NAME}} reference, never a literal. */
    @Override
    public Set<String> credentialKeys() {
        return Set.of("password");
    }

    /** The ACL user Rotor logs in as ({@code username}, Redis's {@code default} without one). */
    @Override
    public String connectingUser(Map<String, Object> settings) {
        Object user = settings.get("username");
        return user == null ? "default" : user.toString().trim();
    }

    @Override
    public Set<String> requiredSettingKeys() {
        return Set.of("host", "password");
    }

    /**
     * What {@link RedisSettings#parse} would refuse, at keys given a literal value: validate reports
     * absent ones as missing, and templates are rendered only at plan time.
     */
    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return RedisSettings.problems(settings).stream().filter(p -> settings.get(p.key()) != null && !Template.unrendered(settings.get(p.key()))).toList();
    }

    /** Opens the owner without any network call. */
    @Override
    public Owner openOwner(String storeName, Map<String, Object> settings, Map<String, Object> ownerOptions,
                           ProviderContext context) {
        RedisSettings parsed = RedisSettings.parse(storeName, settings);
        return new RedisAclOwner(parsed, ownerUser(storeName, settings, ownerOptions),
                retiresUsersByNologin(ownerOptions) ? RedisAclOwner.RetireUser.NOLOGIN : RedisAclOwner.RetireUser.DROP, context == null ? null : context.progress());
    }

}
