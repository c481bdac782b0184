package org.hematovision.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs a subcommand in-process through the real command line, capturing stdout and stderr. */
final class CliRunner {

    record Result(int exitCode, String out, String err) {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    private CliRunner() {
    }
}
