package dev.rotor.engine;

import dev.rotor.store.Owner;

/**
 * One user, its password changed in place (ALTER ROLE, {@code az postgres flexible-server update}). An owner that
 * can hold two credentials keeps the old one valid until {@link #retire}, so consumers never see a gap.
 */
final class SingleUserStrategy implements Strategy {
    @Override
    public String name() {
        return "single-user";
    }

    @Override
    public void accept(Owner owner, String newValue, String oldValue) {
        owner.accept(newValue, oldValue);
    }

    @Override
    public void retire(Owner owner, String oldValue, String keptValue) {
        owner.retire(oldValue, java.util.List.of(keptValue));
    }
}
