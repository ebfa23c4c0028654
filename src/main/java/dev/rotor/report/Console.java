package dev.rotor.report;

import dev.rotor.manifest.Location;
import dev.rotor.manifest.Problem;

import java.io.PrintStream;

/**
 * Everything Rotor prints goes through here: progress on stderr, results on stdout, and in GitHub Actions the
 * workflow commands ({@code ::add-mask::}, {@code ::error file=..::}). Every line is redacted by the masker.
 */
public final class Console implements dev.rotor.engine.Output {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean actions;
    private final Masker masker;

    public Console(PrintStream out, PrintStream err, boolean actions) {
        this.out = out;
        this.err = err;
        this.actions = actions;
        // In Actions the runner reads workflow commands from stdout; the mask command must precede any use. The runner
        // unescapes command data before it registers the mask, so a form holding '%25' must be escaped like any data.
        this.masker = new Masker(form -> {
            if (actions) {
                out.println("::add-mask::" + escapeData(form));
                out.flush();
            }
        });
    }

    public Masker masker() {
        return masker;
    }

    public boolean inActions() {
        return actions;
    }

    @Override
    public void mask(String value) {
        masker.add(value);
    }

    @Override
    public void progress(String line) {
        err.println(masker.redact(line));
        err.flush();
    }

    @Override
    public void result(String line) {
        out.println(masker.redact(line));
        out.flush();
    }

    public void error(String message) {
        String safe = masker.redact(message);
        if (actions) {
            out.println("::error::" + escapeData(safe));
            out.flush();
        }
        err.println("error: " + safe);
        err.flush();
    }

    public void warning(String message) {
        String safe = masker.redact(message);
        if (actions) {
            out.println("::warning::" + escapeData(safe));
            out.flush();
        }
        err.println("warning: " + safe);
        err.flush();
    }

    /** A manifest problem: a file:line:col line, and in Actions an annotation on that line (on the file without one). */
    public void problem(Problem problem) {
        if (actions) {
            Location at = problem.location();
            out.println("::" + (problem.warning() ? "warning" : "error") + " file=" + escapeProperty(at.file().toString())
                    + (at.known() ? ",line=" + at.line() + ",col=" + at.column() : "") + "::"
                    + escapeData(masker.redact(problem.text())));
            out.flush();
        }
        err.println(masker.redact(problem.format()));
        err.flush();
    }

    /**
     * Workflow-command data escaping, the inverse of the runner's {@code ActionCommand.UnescapeData}, which replaces
     * {@code %0D}, {@code %0A}, then {@code %25}: escaping '%' first keeps every '%' of the text as '%25'.
     */
    public static String escapeData(String s) {
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** Property escaping, the inverse of the runner's {@code UnescapeProperty} (data escaping plus ':' and ','). */
    static String escapeProperty(String s) {
        return escapeData(s).replace(":", "%3A").replace(",", "%2C");
    }
}
