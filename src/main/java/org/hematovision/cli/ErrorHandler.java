package org.hematovision.cli;

import org.tinylog.Logger;
import picocli.CommandLine;

/**
 * Turns an exception escaping a command into one clear line on stderr and exit code 1 (the stack
 * trace goes to the log file only), so a clinician sees what to fix rather than a trace.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        Logger.debug(ex, "command {} failed", cmd.getCommandName());
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        cmd.getErr().println("hematovision " + cmd.getCommandName() + ": " + msg);
        return 1;
    }
}
