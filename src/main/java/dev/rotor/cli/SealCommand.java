package dev.rotor.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Base64;
import java.util.Arrays;

import dev.rotor.github.SealedBox;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** {@code rotor seal --public-key B64}: reads a value on stdin, prints the base64 sealed box GitHub's API takes. */
final class SealCommand implements RotorCommand {
    @Override
    public String name() {
        return "seal";
    }

    @Override
    public CommandSpec spec() {
        return RotorCommand.spec(name(),
                        "Seals the value read on stdin for a GitHub public key (libsodium crypto_box_seal) and prints "
                                + "the base64 box, as GitHub's secrets API expects it in encrypted_value.",
                        "One trailing newline of the input is dropped unless --keep-newline is given.")
                .addOption(OptionSpec.builder("--public-key").required(true).paramLabel("BASE64").type(String.class)
                        .description("The scope's public key: the `key` of GET .../secrets/public-key.").build())
                .addOption(RotorCommand.flag("--keep-newline",
                        "Keep a trailing newline of the input as part of the value."));
    }

    @Override
    public int run(Arguments arguments, Session session) {
        PrintStream out = session.out();
        PrintStream err = session.err();
        byte[] key;
        try {
            key = SealedBox.decodePublicKey(arguments.value("--public-key"));
        } catch (IllegalArgumentException e) {
            err.println("rotor seal: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        byte[] value;
        try {
            value = readAll(session.in());
        } catch (IOException e) {
            err.println("rotor seal: cannot read the value on stdin");
            return ExitCodes.FAILED;
        }
        int length = value.length;
        if (!arguments.flag("--keep-newline") && length > 0 && value[length - 1] == '\n') {
            length -= length > 1 && value[length - 2] == '\r' ? 2 : 1;
        }
        if (length == 0) {
            // An empty secret is never meant: the value was not piped in (or an unset variable was).
            err.println("rotor seal: no value on stdin (pipe it in: printf '%s' \"$VALUE\" | rotor seal --public-key ...)");
            return ExitCodes.INVALID;
        }
        byte[] message = Arrays.copyOf(value, length);
        Arrays.fill(value, (byte) 0);
        out.println(Base64.getEncoder().encodeToString(SealedBox.seal(message, key)));
        Arrays.fill(message, (byte) 0);
        out.flush();
        return ExitCodes.OK;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        in.transferTo(buffer);
        return buffer.toByteArray();
    }
}
