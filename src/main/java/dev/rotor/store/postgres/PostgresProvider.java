package dev.rotor.store.postgres;

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
 * {@code type: postgres}: a PostgreSQL server reached with an admin login; an owner (the password of a role), never a
 * store. See docs/postgres.md.
 */
public final class PostgresProvider implements OwnerProvider {
    @Override
    public String type() {
        return "postgres";
    }

    @Override
    public Set<String> strategies() {
        return Set.of("single-user", "alternating-users");
    }

    @Override
    public Set<String> ownerKeys() {
        return ALTERNATING_USER_KEYS;
    }

    @Override
    public Set<String> settingKeys() {
        return PostgresServer.KEYS;
    }

    /** The admin's password: an {@code ${env:NAME}} reference, never a literal. */
    @Override
    public Set<String> credentialKeys() {
        return Set.of("password");
    }

    /** The admin login ({@code user}). */
    @Override
    public String connectingUser(Map<String, Object> settings) {
        Object user = settings.get("user");
        return user == null ? null : user.toString().trim();
    }

    @Override
    public Set<String> requiredSettingKeys() {
        return Set.of("host", "user", "password");
    }

    /**
     * What {@link PostgresServer#of} would refuse, at keys given a literal value: validate reports
     * absent ones as missing, and templates are rendered only at plan time.
     */
    @Override
    public List<KeyProblem> checkSettings(Map<String, Object> settings) {
        return PostgresServer.problems(settings).stream().filter(p -> settings.get(p.key()) != null && !Template.unrendered(settings.get(p.key()))).toList();
    }

    @Override
    public Owner openOwner(String storeName, Map<String, Object> settings, Map<String, Object> ownerOptions,
                           ProviderContext context) {
        return new PostgresOwner(PostgresServer.of(storeName, settings), ownerUser(storeName, settings, ownerOptions),
                retiresUsersByNologin(ownerOptions) ? PostgresOwner.Retirement.NOLOGIN : PostgresOwner.Retirement.DROP);
    }

}
