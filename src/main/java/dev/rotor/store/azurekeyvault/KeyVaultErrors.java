package dev.rotor.store.azurekeyvault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.util.BinaryData;
import com.azure.identity.CredentialUnavailableException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.rotor.store.StoreException;

/**
 * Turns what the SDK throws into one StoreException line naming the store, the operation, the secret and the
 * identity, with what to do. Library messages are never passed on whole (a token endpoint's answer or a body may
 * quote what was sent): only Key Vault's error codes, the caller ids it names, and Entra ID's AADSTS code.
 */
final class KeyVaultErrors {
    static final String ROLE = "Key Vault Secrets Officer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern OID = Pattern.compile("oid=([0-9a-fA-F-]{36})");
    private static final Pattern APPID = Pattern.compile("appid=([0-9a-fA-F-]{36})");
    private static final Pattern AADSTS = Pattern.compile("AADSTS\\d+");

    /** Key Vault's error body: {@code {"error":{"code","message","innererror":{"code"}}}}. */
    record Answer(int status, String code, String innerCode, String message) {
        boolean is(String code) {
            return code.equals(this.code) || code.equals(innerCode);
        }
    }

    private final String storeName;
    private final KeyVaultSettings settings;
    private final String identity;

    KeyVaultErrors(String storeName, KeyVaultSettings settings, String identity) {
        this.storeName = storeName;
        this.settings = settings;
        this.identity = identity;
    }

    /** The identity DefaultAzureCredential will use, as far as the settings and environment tell. */
    static String identity(KeyVaultSettings settings, Map<String, String> environment) {
        if (settings.clientId() != null) {
            return "managed identity " + settings.clientId();
        }
        String client = environment.get("AZURE_CLIENT_ID");
        if (client != null && !client.isBlank()) {
            String tenant = environment.get("AZURE_TENANT_ID");
            return "client " + client.trim() + (tenant == null || tenant.isBlank() ? "" : " in tenant " + tenant.trim());
        }
        return "the identity DefaultAzureCredential finds (az login, a managed identity...)";
    }

    static Answer answer(HttpResponseException e) {
        int status = e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
        JsonNode error = body(e.getValue()).path("error");
        return new Answer(status, error.path("code").asText(null), error.path("innererror").path("code").asText(null),
                error.path("message").asText(""));
    }

    /** A failure of {@code operation} (e.g. "set") on secret {@code name}. */
    StoreException failure(RuntimeException e, String operation, String name) {
        String prefix = "store '" + storeName + "' (azure-key-vault): ";
        String what = operation + " secret '" + name + "' in vault " + settings.vaultName();
        if (e instanceof ClientAuthenticationException auth && auth.getResponse() == null) {
            return credentialFailure(prefix, what, auth);
        }
        if (e instanceof HttpResponseException http && http.getResponse() != null) {
            Answer answer = answer(http);
            String codes = " (" + answer.status() + (answer.code() == null ? "" : " " + answer.code())
                    + (answer.innerCode() == null ? "" : "/" + answer.innerCode()) + ")";
            return switch (answer.status()) {
                case 401 -> new StoreException(StoreException.Kind.PERMISSION, prefix + "Key Vault refused the token of "
                        + identity + " to " + what + codes, "check that AZURE_TENANT_ID is the vault's tenant and that "
                        + "the identity may sign in; a 401 after the bearer challenge is no missing role");
                case 403 -> forbidden(prefix, operation, what, answer, codes);
                case 404 -> new StoreException(StoreException.Kind.NOT_FOUND, prefix + "Key Vault has no " + what + codes,
                        "check the vault and the secret name");
                case 409 -> conflict(prefix, name, answer, codes);
                case 408, 429, 500, 502, 503, 504 -> new StoreException(StoreException.Kind.TRANSIENT, prefix + "Key Vault "
                        + "answered " + answer.status() + " to " + what + " " + (AzureKeyVaultProvider.MAX_RETRIES + 1)
                        + " times" + codes, "re-run later: every Rotor write is idempotent");
                default -> new StoreException(StoreException.Kind.FAILED, prefix + "Key Vault answered " + answer.status()
                        + " to " + what + codes);
            };
        }
        if (causedBy(e, IOException.class)) {
            return new StoreException(StoreException.Kind.TRANSIENT, prefix + "could not reach " + settings.vaultUrl()
                    + " to " + what + " (" + rootName(e) + ", " + (AzureKeyVaultProvider.MAX_RETRIES + 1) + " attempts)",
                    "check the vault's URL, the network and HTTPS_PROXY; re-run later");
        }
        if (String.valueOf(e.getMessage()).contains("does not match the requested domain")) {
            return new StoreException(StoreException.Kind.INVALID, prefix + settings.vaultUrl() + " asked for a token of "
                    + "a resource outside its own domain; Rotor does not send it one", "point url: at a Key Vault");
        }
        return new StoreException(StoreException.Kind.FAILED, prefix + "could not " + what + " (" + e.getClass().getSimpleName() + ")");
    }

    private StoreException credentialFailure(String prefix, String what, ClientAuthenticationException e) {
        if (e instanceof CredentialUnavailableException) {
            return new StoreException(StoreException.Kind.PERMISSION, prefix + "no Azure credential to " + what
                    + ": DefaultAzureCredential found none", "sign in first: azure/login with OIDC in GitHub Actions, "
                    + "AZURE_TENANT_ID + AZURE_CLIENT_ID (+ AZURE_FEDERATED_TOKEN_FILE or AZURE_CLIENT_SECRET), a managed "
                    + "identity (client-id: for a user-assigned one) or az login");
        }
        Matcher code = AADSTS.matcher(String.valueOf(e.getMessage()));
        return new StoreException(StoreException.Kind.PERMISSION, prefix + "Entra ID refused a token for " + identity
                + " to " + what + (code.find() ? " (" + code.group() + ")" : ""),
                "check the identity's tenant, client id and secret or federated credential (look the AADSTS code up)");
    }

    private StoreException forbidden(String prefix, String operation, String what, Answer answer, String codes) {
        if (answer.is("ForbiddenByFirewall") || answer.is("ForbiddenByConnection")) {
            return new StoreException(StoreException.Kind.PERMISSION, prefix + "the vault's firewall refuses this "
                    + "machine's address to " + what + codes, "allow the runner's address in the vault's networking "
                    + "settings, or run from a network the vault trusts");
        }
        if (answer.is("SecretDisabled")) {
            return new StoreException(StoreException.Kind.INVALID, prefix + "the current version of the secret is "
                    + "disabled: cannot " + what + codes, "enable it (az keyvault secret set-attributes --enabled true) "
                    + "or remove the target");
        }
        String caller = caller(answer.message());
        String who = caller == null ? identity : identity + " (" + caller + ")";
        return new StoreException(StoreException.Kind.PERMISSION, prefix + who + " may not " + what + codes,
                "assign it the role \"" + ROLE + "\" on the vault (az role assignment create --role \"" + ROLE
                        + "\" --assignee <its object id> --scope <the vault's resource id>), or on a vault with access "
                        + "policies grant secret permissions get, set" + ("delete".equals(operation) ? ", delete" : ""));
    }

    private StoreException conflict(String prefix, String name, Answer answer, String codes) {
        if (answer.is("ObjectIsDeletedButRecoverable")) {
            return deleted(name);
        }
        if (answer.is("ObjectIsBeingDeleted") || answer.is("ObjectIsBeingRecovered")) {
            return new StoreException(StoreException.Kind.TRANSIENT, prefix + "secret '" + name + "' in vault "
                    + settings.vaultName() + " is being deleted or recovered" + codes, "re-run when that has finished");
        }
        return new StoreException(StoreException.Kind.CONFLICT, prefix + "Key Vault answered 409 for secret '" + name
                + "'" + codes, "re-run when other operations on the secret are done");
    }

    /** A soft-deleted secret of this name: recreating it is not Rotor's decision, so it says what the choices are. */
    StoreException deleted(String name) {
        String vault = settings.vaultName();
        return new StoreException(StoreException.Kind.CONFLICT, "store '" + storeName + "' (azure-key-vault): secret '"
                + name + "' in vault " + vault + " is deleted but recoverable (soft delete): Key Vault keeps its name, "
                + "and Rotor does not recreate it", "recover it (az keyvault secret recover --vault-name " + vault
                + " --name " + name + ") to keep its history, or purge it (az keyvault secret purge --vault-name " + vault
                + " --name " + name + ") to start over; then re-run");
    }

    /** The caller ids a 403 names ("appid=...;oid=..."), never anything else of the message. */
    private static String caller(String message) {
        Matcher oid = OID.matcher(message);
        Matcher appid = APPID.matcher(message);
        String app = appid.find() ? "appid " + appid.group(1) : null;
        String object = oid.find() ? "object id " + oid.group(1) : null;
        if (app == null && object == null) {
            return null;
        }
        return app == null ? object : object == null ? app : app + ", " + object;
    }

    private static JsonNode body(Object value) {
        try {
            if (value instanceof BinaryData data) {
                return JSON.readTree(data.toString());
            }
            if (value instanceof String text) {
                return JSON.readTree(text);
            }
            return value == null ? JSON.createObjectNode() : JSON.valueToTree(value);
        } catch (IOException | IllegalArgumentException e) {
            return JSON.createObjectNode();
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootName(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && !(root instanceof IOException && !(root instanceof UncheckedIOException))) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName();
    }
}
