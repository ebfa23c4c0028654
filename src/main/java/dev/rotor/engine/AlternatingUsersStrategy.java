package dev.rotor.engine;

import dev.rotor.store.Owner;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Two users take turns (runbook 003 §1-§2): a rotation creates the next user with the active one's privileges,
 * switches the targets to it, and the old user keeps working for the grace period; a later run removes it. The next
 * name comes from the owner's {@code alternate-with: NAME} (two names in turn) or {@code series: backend_v{n}}
 * (numbered, the runbook's {@code backend_v2}); the default series is {@code USER_v{n}}.
 */
final class AlternatingUsersStrategy implements Strategy {
    @Override
    public String name() {
        return "alternating-users";
    }

    @Override
    public boolean named() {
        return true;
    }

    @Override
    public String nameField() {
        return dev.rotor.manifest.SecretValue.USERNAME;
    }

    /** The owner's {@code user}: the active user when Rotor takes the secret over. */
    @Override
    public String adoptedName(Unit unit) {
        return String.valueOf(options(unit).get("user")).trim();
    }

    @Override
    public String nextName(Unit unit, String currentName) {
        Map<String, Object> options = options(unit);
        String first = adoptedName(unit);
        String current = currentName == null ? first : currentName;
        Object other = options.get("alternate-with");
        if (other != null) {
            return current.equals(first) ? other.toString().trim() : first;
        }
        Object series = options.get("series");
        return Series.next(series == null ? first + "_v{n}" : series.toString().trim(), current, 2);
    }

    /**
     * A rotation and a rollback to a removed user copy the privileges of the user they replace; undoing an
     * unfinished rotation goes back to a user that still exists, as it is.
     */
    @Override
    public void accept(Owner owner, JournalRecord record) {
        String like = record.kind == JournalRecord.Kind.RESTORE_CURRENT || record.pendingName.equals(record.replacingName)
                ? null : record.replacingName;
        owner.createUserLike(record.pendingName, record.pending, like);
    }

    /** Nothing at finish: the replaced user keeps working until its grace ends. */
    @Override
    public void retire(Owner owner, JournalRecord record, List<String> kept) {
    }

    private static Map<String, Object> options(Unit unit) {
        return unit.secret().owner().options();
    }

    /** Numbered names: {@code backend_v{n}} after {@code backend_v4} is {@code backend_v5}. */
    static final class Series {
        private Series() {
        }

        /** The name after {@code current} in {@code pattern}, or the one numbered {@code first} when it is not in it. */
        static String next(String pattern, String current, int first) {
            int at = pattern.indexOf("{n}");
            Matcher m = Pattern.compile(Pattern.quote(pattern.substring(0, at)) + "(\\d+)"
                    + Pattern.quote(pattern.substring(at + 3))).matcher(current == null ? "" : current);
            long n = m.matches() ? Long.parseLong(m.group(1)) + 1 : first;
            return pattern.substring(0, at) + n + pattern.substring(at + 3);
        }
    }
}
