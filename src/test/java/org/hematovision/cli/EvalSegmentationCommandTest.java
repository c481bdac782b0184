package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvalSegmentationCommandTest {

    @Test
    void missingDatasetGivesOneClearLine(@TempDir Path dir) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("eval-segmentation", "--bccd", dir.resolve("nope").toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("not a BCCD folder"), err.toString());
    }

    @Test
    void unknownSplitIsRefused(@TempDir Path dir) {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("eval-segmentation", "--bccd", dir.toString(), "--split", "everything");
        assertEquals(1, code);
        assertTrue(err.toString().contains("allowed: test, all"), err.toString());
    }
}
