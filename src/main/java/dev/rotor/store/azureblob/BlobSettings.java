package dev.rotor.store.azureblob;

import dev.rotor.manifest.Template;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.rotor.azure.AzureSettings.caBundlePath;
import static dev.rotor.azure.AzureSettings.httpsUrl;
import static dev.rotor.azure.AzureSettings.text;

import dev.rotor.manifest.KeyProblem;
import dev.rotor.azure.AzureSettings;

/**
 * The rendered settings of one {@code type: azure-blob} store: the account's blob endpoint ({@code account} or
 * {@code url}), the container and an optional name prefix. Validate reads the manifest alone; plan the rendered values.
 */
record BlobSettings(String endpoint, String container, String prefix, Path caBundle) {
    private static final String DOCS = "see docs/azure-blob.md for the settings of an azure-blob store";
    /** Azure's rules: an account is 3-24 lowercase letters and digits. */
    private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9]{3,24}");
    /** A container is 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit. */
    private static final Pattern CONTAINER = Pattern.compile("(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*");

    /** The blob that holds a target (or a journal entry): the prefix, then the name. */
    String blobName(String name) {
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    static BlobSettings parse(String storeName, Map<String, Object> settings, Path baseDirectory) {
        return AzureSettings.parse("store '" + storeName + "' (azure-blob)", DOCS, problems -> read(settings, baseDirectory, problems));
    }

    static List<KeyProblem> check(Map<String, Object> settings) {
        return AzureSettings.check(problems -> read(settings, null, problems));
    }

    private static BlobSettings read(Map<String, Object> settings, Path baseDirectory, List<KeyProblem> problems) {
        String account = text(settings, "account");
        String url = text(settings, "url");
        String endpoint = null;
        if (account != null && url != null) {
            problems.add(new KeyProblem("url", "set either account or url, not both", DOCS));
        } else if (account == null && url == null) {
            problems.add(new KeyProblem(null, "set account (the storage account name) or url (its blob endpoint)", DOCS));
        } else if (account != null) {
            endpoint = "https://" + account + ".blob.core.windows.net";
            if (!Template.unrendered(account) && !ACCOUNT.matcher(account).matches()) {
                problems.add(new KeyProblem("account", "account '" + account + "' is not a storage account name (3-24 "
                        + "lowercase letters and digits)", DOCS));
            }
        } else {
            endpoint = url.replaceAll("/+$", "");
            if (!Template.unrendered(url) && !httpsUrl(endpoint)) {
                problems.add(new KeyProblem("url", "url must be the account's https blob endpoint, such as "
                        + "https://mindwell.blob.core.windows.net (Entra ID tokens are sent over https only)", DOCS));
            }
        }
        String container = text(settings, "container");
        if (container != null && !Template.unrendered(container) && !CONTAINER.matcher(container).matches()) {
            problems.add(new KeyProblem("container", "container '" + container + "' is not a container name (3-63 "
                    + "lowercase letters, digits and single hyphens)", DOCS));
        }
        String prefix = text(settings, "prefix");
        prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
        Path caBundle = caBundlePath(settings, baseDirectory);
        return new BlobSettings(endpoint, container, prefix, caBundle);
    }

}
