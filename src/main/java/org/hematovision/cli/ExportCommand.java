package org.hematovision.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.Callable;
import org.hematovision.store.RecordExporter;
import org.hematovision.store.RecordStore;
import org.hematovision.store.StoreConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Copies the sample records of a date range to a folder or USB stick, verifying every copy. */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Copy sample records of a date range (UTC days) to a folder or USB stick.")
public final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, description = "first day, YYYY-MM-DD")
    LocalDate from;

    @Option(names = "--to", required = true, description = "last day, YYYY-MM-DD (inclusive)")
    LocalDate to;

    @Option(names = "--out", required = true, description = "destination folder (created if missing)")
    Path out;

    @Mixin
    ConfigFileOptions config;

    @Option(names = "--store", paramLabel = "DIR",
            description = "record store directory (default: store.dir of the configuration, where `run` stores)")
    Path store;

    @Override
    public Integer call() {
        if (to.isBefore(from)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--to " + to + " is before --from " + from);
        }
        // The store `run` writes to under the same configuration; --store names another one.
        StoreConfig stored = store != null ? StoreConfig.at(store) : config.load(Map.of()).store();
        if (!java.nio.file.Files.isDirectory(stored.recordsDir())) {
            throw new IllegalArgumentException("no record store at " + stored.dir() + " (no " + stored.recordsDir()
                    + "); give the configuration `run` used with --config FILE (or --set store.dir=DIR), "
                    + "or the store directory with --store DIR");
        }
        RecordStore records = new RecordStore(stored, Clock.systemUTC());
        RecordExporter.Result result = new RecordExporter(records).export(from, to, out);
        var w = spec.commandLine().getOut();
        w.printf("exported %d record(s) from %s to %s into %s%n", result.exported().size(), from, to, out);
        if (!result.present().isEmpty()) {
            w.printf("%d record(s) were already there, identical%n", result.present().size());
        }
        if (!result.damaged().isEmpty()) {
            var err = spec.commandLine().getErr();
            err.printf("%d problem(s): damaged records were NOT exported and are left untouched in the store:%n",
                    result.damaged().size());
            result.damaged().forEach(d -> err.println("  " + d));
            return 2;
        }
        return 0;
    }
}
