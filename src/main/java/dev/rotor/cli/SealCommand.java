package dev.rotor.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Base64;
import java.util.Arrays;
import java.util.concurrent.Callable;

import dev.rotor.github.SealedBox;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rotor seal --public-key B64}: reads a value on stdin, prints the base64 sealed box GitHub's API takes. */
@Command(name = "seal", mixinStandardHelpOptions = true,
        description = {"Seals the value read on stdin for a GitHub public key (libsodium crypto_box_seal) and prints "
                + "the base64 box, as GitHub's secrets API expects it in encrypted_value.",
                "One trailing newline of the input is dropped unless --keep-newline is given."})
public final class SealCommand implements Callable<Integer> {
    @Option(names = "--public-key", required = true, paramLabel = "BASE64",
            description = "The scope's public key: the `key` of GET .../secrets/public-key.")
    String publicKey;

    @Option(names = "--keep-newline", description = "Keep a trailing newline of the input as part of the value.")
    boolean keepNewline;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    public SealCommand() {
        this(System.in, System.out, System.err);
    }

    /** With other streams than the process's (tests). */
    public SealCommand(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        byte[] key;
        try {
            key = SealedBox.decodePublicKey(publicKey);
        } catch (IllegalArgumentException e) {
            err.println("rotor seal: " + e.getMessage());
            return 2;
        }
        byte[] value;
        try {
            value = readAll(in);
        } catch (IOException e) {
            err.println("rotor seal: cannot read the value on stdin");
            return 1;
        }
        int length = value.length;
        if (!keepNewline && length > 0 && value[length - 1] == '\n') {
            length -= length > 1 && value[length - 2] == '\r' ? 2 : 1;
        }
        byte[] message = Arrays.copyOf(value, length);
        Arrays.fill(value, (byte) 0);
        out.println(Base64.getEncoder().encodeToString(SealedBox.seal(message, key)));
        Arrays.fill(message, (byte) 0);
        out.flush();
        return 0;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toByteArray();
    }
}
