package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Every subcommand answers --help with its usage and exit code 0 (clinic staff reach for it first). */
class HelpTest {

    @Test
    void everySubcommandHasHelp() {
        for (String name : Main.commandLine().getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            CliRunner.Result r = CliRunner.run(name, "--help");
            assertEquals(0, r.exitCode(), name + " --help: " + r.err());
            assertTrue(r.out().contains("Usage: hematovision " + name), name + " --help printed: " + r.out());
        }
    }
}
