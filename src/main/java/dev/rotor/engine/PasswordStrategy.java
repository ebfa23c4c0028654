package dev.rotor.engine;

import dev.rotor.store.Owner;

import java.util.List;

/**
 * One user whose password changes: {@code single-user} (ALTER ROLE, {@code az postgres flexible-server update}) and
 * {@code dual-password} (Redis ACL users, runbook 002's CURRENT/NEXT). The owner does the same for both; what
 * differs is in the targets: dual-password writes its {@code slot: next} copies first and may prepare a fresh NEXT,
 * which {@link #retire} then keeps beside CURRENT. An owner that holds two passwords keeps the old one valid until
 * retire, so consumers never see a gap.
 */
final class PasswordStrategy implements Strategy {
    private final String name;

    PasswordStrategy(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void accept(Owner owner, JournalRecord record) {
        owner.accept(record.pending, record.replacing);
    }

    @Override
    public void retire(Owner owner, JournalRecord record, List<String> kept) {
        owner.retire(record.replacing, kept);
    }
}
