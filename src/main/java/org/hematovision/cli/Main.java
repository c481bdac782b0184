package org.hematovision.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code scripts/hematovision}: one picocli subcommand per task. */
@Command(name = "hematovision",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "HematoVision Edge: white-cell differential beside the microscope.",
        subcommands = {
                RunCommand.class,
                AnalyzeCommand.class,
                BenchCommand.class,
                SoakCommand.class,
                VersionCommand.class,
                EvalSegmentationCommand.class,
                ClassifyCommand.class,
                ExportCommand.class,
                DashboardCommand.class,
                TrainCommand.class,
                EvalClassifierCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (also used by tests to run subcommands in-process). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setCaseInsensitiveEnumValuesAllowed(true); // --weights average, inference.device style lower case
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
