package org.hematovision.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
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
        cmd.getErr().println("hematovision " + cmd.getCommandName() + ": " + message(ex));
        return 1;
    }

    /**
     * The line shown for {@code ex}. The JDK's file exceptions carry only the path as their message
     * ("results/x.csv"), which says nothing of what went wrong, so the cause is spelled out for them.
     */
    static String message(Exception ex) {
        if (ex instanceof FileSystemException fs && fs.getFile() != null) {
            String what = fs instanceof NoSuchFileException ? "no such file or directory"
                    : fs instanceof AccessDeniedException ? "permission denied"
                    : fs instanceof FileAlreadyExistsException ? "already exists"
                    : fs instanceof NotDirectoryException ? "not a directory"
                    : fs instanceof DirectoryNotEmptyException ? "directory not empty"
                    : fs.getClass().getSimpleName();
            String reason = fs.getReason() != null ? fs.getReason() : what;
            return fs.getFile() + (fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "") + ": " + reason;
        }
        return ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
    }
}
