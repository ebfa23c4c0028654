package dev.rotor.store.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one role may do, read from the catalogs: the roles it is a member of, and every privilege granted to it on
 * databases and tablespaces (shared) and on the objects of the database the connection is in, default privileges
 * included. Only grants made to the role itself count: PUBLIC's are everyone's, and an owner's implicit rights on
 * its own objects are ownership, not grants. {@link #changesToMatch} gives the statements that make one role's
 * privileges those of another; identifiers are quoted by the server ({@code format('%I')}, {@code quote_ident}).
 */
final class RolePrivileges {
    /**
     * Every privilege granted to the named roles; {@code prefix} is empty for an object and {@code ALTER DEFAULT
     * PRIVILEGES FOR ROLE … [IN SCHEMA …] } for a default privilege, {@code target} is what follows ON.
     */
    private static final String GRANTS_SQL = """
            WITH r AS (SELECT oid, rolname FROM pg_roles WHERE rolname = ANY (?)),
            acl (holder, prefix, target, col, privilege, grantable) AS (
                SELECT r.rolname, '', format('DATABASE %I', d.datname), '', a.privilege_type, a.is_grantable
                FROM pg_database d CROSS JOIN LATERAL aclexplode(d.datacl) a JOIN r ON r.oid = a.grantee
                WHERE a.grantee <> d.datdba
              UNION ALL
                SELECT r.rolname, '', format('TABLESPACE %I', t.spcname), '', a.privilege_type, a.is_grantable
                FROM pg_tablespace t CROSS JOIN LATERAL aclexplode(t.spcacl) a JOIN r ON r.oid = a.grantee
                WHERE a.grantee <> t.spcowner
              UNION ALL
                SELECT r.rolname, '', format('SCHEMA %I', n.nspname), '', a.privilege_type, a.is_grantable
                FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) a JOIN r ON r.oid = a.grantee
                WHERE a.grantee <> n.nspowner
              UNION ALL
                SELECT r.rolname, '', format(CASE c.relkind WHEN 'S' THEN 'SEQUENCE %I.%I' ELSE 'TABLE %I.%I' END,
                       n.nspname, c.relname), '', a.privilege_type, a.is_grantable
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     CROSS JOIN LATERAL aclexplode(c.relacl) a JOIN r ON r.oid = a.grantee
                WHERE a.grantee <> c.relowner
              UNION ALL
                SELECT r.rolname, '', format('TABLE %I.%I', n.nspname, c.relname), format(' (%I)', t.attname),
                       a.privilege_type, a.is_grantable
                FROM pg_attribute t JOIN pg_class c ON c.oid = t.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
                     CROSS JOIN LATERAL aclexplode(t.attacl) a JOIN r ON r.oid = a.grantee
                WHERE t.attnum > 0 AND NOT t.attisdropped AND a.grantee <> c.relowner
              UNION ALL
                SELECT r.rolname, '', format('ROUTINE %I.%I(%s)', n.nspname, p.proname,
                       pg_get_function_identity_arguments(p.oid)), '', a.privilege_type, a.is_grantable
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                     CROSS JOIN LATERAL aclexplode(p.proacl) a JOIN r ON r.oid = a.grantee
                WHERE a.grantee <> p.proowner
              UNION ALL
                SELECT r.rolname, '', format(CASE t.typtype WHEN 'd' THEN 'DOMAIN %I.%I' ELSE 'TYPE %I.%I' END,
                       n.nspname, t.typname), '', a.privilege_type, a.is_grantable
                FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
                     CROSS JOIN LATERAL aclexplode(t.typacl) a JOIN r ON r.oid = a.grantee
                WHERE a.grantee <> t.typowner
              UNION ALL
                SELECT r.rolname, '', format('LANGUAGE %I', l.lanname), '', a.privilege_type, a.is_grantable
                FROM pg_language l CROSS JOIN LATERAL aclexplode(l.lanacl) a JOIN r ON r.oid = a.grantee
                WHERE a.grantee <> l.lanowner
              UNION ALL
                SELECT r.rolname, '', format('FOREIGN DATA WRAPPER %I', w.fdwname), '', a.privilege_type,
                       a.is_grantable
                FROM pg_foreign_data_wrapper w CROSS JOIN LATERAL aclexplode(w.fdwacl) a JOIN r ON r.oid = a.grantee
                WHERE a.grantee <> w.fdwowner
              UNION ALL
                SELECT r.rolname, '', format('FOREIGN SERVER %I', s.srvname), '', a.privilege_type, a.is_grantable
                FROM pg_foreign_server s CROSS JOIN LATERAL aclexplode(s.srvacl) a JOIN r ON r.oid = a.grantee
                WHERE a.grantee <> s.srvowner
              UNION ALL
                SELECT r.rolname, format('ALTER DEFAULT PRIVILEGES FOR ROLE %I ', o.rolname)
                       || CASE WHEN d.defaclnamespace = 0 THEN '' ELSE format('IN SCHEMA %I ', n.nspname) END,
                       CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS'
                            WHEN 'T' THEN 'TYPES' WHEN 'n' THEN 'SCHEMAS' WHEN 'L' THEN 'LARGE OBJECTS' END,
                       '', a.privilege_type, a.is_grantable
                FROM pg_default_acl d JOIN pg_roles o ON o.oid = d.defaclrole
                     LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
                     CROSS JOIN LATERAL aclexplode(d.defaclacl) a JOIN r ON r.oid = a.grantee
                WHERE a.grantee <> d.defaclrole
            )
            SELECT holder, prefix, target, col, privilege, bool_or(grantable) AS grantable
            FROM acl GROUP BY holder, prefix, target, col, privilege""";
    /** PostgreSQL 16 and later: INHERIT and SET options per membership, several grantors per membership. */
    private static final int MEMBERSHIP_OPTIONS_FROM = 160000;

    /** One privilege of a role on one object, or one default privilege. */
    record Grant(String prefix, String target, String column, String privilege) {
        String grantTo(String quotedRole, boolean grantable) {
            return prefix + "GRANT " + privilege + column + " ON " + target + " TO " + quotedRole
                    + (grantable ? " WITH GRANT OPTION" : "");
        }

        String revokeFrom(String quotedRole, boolean grantOptionOnly) {
            return prefix + "REVOKE " + (grantOptionOnly ? "GRANT OPTION FOR " : "") + privilege + column + " ON "
                    + target + " FROM " + quotedRole + " CASCADE";
        }

    }

    /** Membership in a role (quoted name); {@code grantors} (quoted) are who granted it, one grant each. */
    record Membership(boolean admin, boolean inherit, boolean set, List<String> grantors) {
        boolean sameOptions(Membership other) {
            return admin == other.admin && inherit == other.inherit && set == other.set;
        }
    }

    private final Map<Grant, Boolean> grants;
    private final Map<String, Membership> memberships;

    private RolePrivileges(Map<Grant, Boolean> grants, Map<String, Membership> memberships) {
        this.grants = grants;
        this.memberships = memberships;
    }

    /** The privileges of each named role (a role that does not exist holds none). */
    static Map<String, RolePrivileges> read(Connection connection, int version, String... roles) throws SQLException {
        Map<String, RolePrivileges> byRole = new HashMap<>();
        for (String role : roles) {
            byRole.put(role, new RolePrivileges(new HashMap<>(), new LinkedHashMap<>()));
        }
        try (PreparedStatement statement = connection.prepareStatement(GRANTS_SQL)) {
            statement.setArray(1, connection.createArrayOf("text", roles));
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    byRole.get(row.getString("holder")).grants.put(new Grant(row.getString("prefix"),
                            row.getString("target"), row.getString("col"), row.getString("privilege")),
                            row.getBoolean("grantable"));
                }
            }
        }
        boolean options = version >= MEMBERSHIP_OPTIONS_FROM;
        try (PreparedStatement statement = connection.prepareStatement("SELECT m.rolname AS member, "
                + "quote_ident(g.rolname) AS role, a.admin_option, "
                + (options ? "a.inherit_option, a.set_option, " : "true AS inherit_option, true AS set_option, ")
                + "quote_ident(w.rolname) AS grantor FROM pg_auth_members a JOIN pg_roles m ON m.oid = a.member "
                + "JOIN pg_roles g ON g.oid = a.roleid LEFT JOIN pg_roles w ON w.oid = a.grantor "
                + "WHERE m.rolname = ANY (?) ORDER BY 1, 2, 6")) {
            statement.setArray(1, connection.createArrayOf("text", roles));
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    Map<String, Membership> of = byRole.get(row.getString("member")).memberships;
                    Membership grant = new Membership(row.getBoolean("admin_option"),
                            row.getBoolean("inherit_option"), row.getBoolean("set_option"),
                            row.getString("grantor") == null ? List.of() : List.of(row.getString("grantor")));
                    // Several grantors: the member holds the union of their options.
                    of.merge(row.getString("role"), grant, (a, b) -> new Membership(a.admin || b.admin,
                            a.inherit || b.inherit, a.set || b.set, concat(a.grantors, b.grantors)));
                }
            }
        }
        return byRole;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /**
     * The statements that make this role ({@code quotedRole}) hold exactly {@code wanted}'s privileges: revokes
     * first (revoking a table privilege also revokes it on the table's columns, so grants come after), then grants.
     * A membership whose options differ is revoked from every grantor and granted again.
     */
    List<String> changesToMatch(RolePrivileges wanted, String quotedRole, int version) {
        List<String> revokes = new ArrayList<>();
        List<String> grantsToAdd = new ArrayList<>();
        boolean options = version >= MEMBERSHIP_OPTIONS_FROM;
        memberships.forEach((role, held) -> {
            Membership want = wanted.memberships.get(role);
            if (want == null || !held.sameOptions(want)) {
                if (!options || held.grantors.isEmpty()) {
                    revokes.add("REVOKE " + role + " FROM " + quotedRole + " CASCADE");
                }
                for (String grantor : options ? held.grantors : List.<String>of()) {
                    revokes.add("REVOKE " + role + " FROM " + quotedRole + " GRANTED BY " + grantor + " CASCADE");
                }
            }
        });
        wanted.memberships.forEach((role, want) -> {
            Membership held = memberships.get(role);
            if (held == null || !held.sameOptions(want)) {
                grantsToAdd.add("GRANT " + role + " TO " + quotedRole + (options
                        ? " WITH ADMIN " + want.admin + ", INHERIT " + want.inherit + ", SET " + want.set
                        : want.admin ? " WITH ADMIN OPTION" : ""));
            }
        });
        grants.forEach((grant, grantable) -> {
            Boolean want = wanted.grants.get(grant);
            if (want == null) {
                revokes.add(grant.revokeFrom(quotedRole, false));
            } else if (grantable && !want) {
                revokes.add(grant.revokeFrom(quotedRole, true));
            }
        });
        wanted.grants.forEach((grant, grantable) -> {
            Boolean held = grants.get(grant);
            if (held == null || grantable && !held) {
                grantsToAdd.add(grant.grantTo(quotedRole, grantable));
            }
        });
        revokes.addAll(grantsToAdd);
        return revokes;
    }

    /** Revokes every object and default privilege granted to the role (its memberships go with DROP ROLE). */
    List<String> revokeAll(String quotedRole) {
        return grants.keySet().stream().map(grant -> grant.revokeFrom(quotedRole, false)).toList();
    }
}
