package org.hematovision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.hematovision.classify.ModelBundleWriter;
import org.hematovision.classify.ModelMetadataBuilder;
import org.hematovision.image.BgrImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code classify} end to end: real PNG/JPEG files, a real exported model, the CSV it writes. */
class ClassifyCommandTest {

    @TempDir
    static Path tmp;
    private static Path model;
    private static Path images;

    @BeforeAll
    static void setUp() throws IOException {
        model = tmp.resolve("models/colour");
        org.hematovision.classify.ColourModelAccess.exportSavedModel(model);
        ModelBundleWriter.write(model, new ModelMetadataBuilder("colour-test", "0.0.1", List.of("red", "green", "blue", "grey"))
                .inputSize(32, 32).build());
        images = tmp.resolve("cells");
        Files.createDirectories(images.resolve("sub"));
        write(images.resolve("b_blue.png"), 20, 20, 230, "png");
        write(images.resolve("a_red.png"), 230, 20, 20, "png");
        write(images.resolve("sub/c_green.jpg"), 20, 230, 20, "jpg");
        Files.writeString(images.resolve("notes.txt"), "not an image, skipped by extension");
    }

    private static void write(Path p, int r, int g, int b, String format) throws IOException {
        byte[] px = new byte[40 * 36 * 3];
        for (int i = 0; i < px.length; i += 3) {
            px[i] = (byte) b;
            px[i + 1] = (byte) g;
            px[i + 2] = (byte) r;
        }
        assertTrue(ImageIO.write(new BgrImage(40, 36, px).toBufferedImage(), format, p.toFile()));
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aCsvInAMissingFolderSaysWhatIsWrongWithThePath() {
        // the JDK's exception message is the bare path; the user must also read why
        Path csv = tmp.resolve("no-such-folder/out.csv");
        Run r = run("classify", "--model", model.toString(), "--device", "cpu", "--csv", csv.toString(), images.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("hematovision classify: " + csv + ": no such file or directory"), r.err());
    }

    @Test
    void writesOneSortedRowPerImageWithAColumnPerClass() throws IOException {
        Path csv = tmp.resolve("out.csv");
        Run r = run("classify", "--model", model.toString(), "--device", "cpu", "--batch", "2", "--csv", csv.toString(),
                images.toString());
        assertEquals(0, r.code(), r.err());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("path,label,probability,review,red,green,blue,grey", lines.get(0));
        assertEquals(4, lines.size(), lines.toString());
        String[][] rows = lines.stream().skip(1).map(l -> l.split(",")).toArray(String[][]::new);
        assertEquals(images.resolve("a_red.png").toString(), rows[0][0]);
        assertEquals("red", rows[0][1]);
        assertEquals(images.resolve("b_blue.png").toString(), rows[1][0]);
        assertEquals("blue", rows[1][1]);
        assertEquals(images.resolve("sub/c_green.jpg").toString(), rows[2][0]);
        assertEquals("green", rows[2][1]);
        for (String[] row : rows) {
            assertEquals(8, row.length);
            assertEquals("false", row[3]);
            double sum = 0;
            for (int i = 4; i < 8; i++) {
                sum += Double.parseDouble(row[i]);
            }
            assertEquals(1.0, sum, 1e-3);
            assertEquals(Double.parseDouble(row[2]), Double.parseDouble(row[4 + List.of("red", "green", "blue").indexOf(row[1])]));
        }
    }

    @Test
    void printsToStdoutWithoutCsv() {
        Run r = run("classify", "--model", model.toString(), images.resolve("a_red.png").toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("path,label,probability,review,red,green,blue,grey\n" + images.resolve("a_red.png") + ",red,"),
                r.out());
    }

    @Test
    void missingPathIsNamed() {
        Path missing = tmp.resolve("nope.png");
        Run r = run("classify", "--model", model.toString(), missing.toString());
        assertEquals(1, r.code());
        assertEquals("hematovision classify: " + missing + ": no such file or directory", r.err().strip());
    }

    @Test
    void badImageIsReportedAndTheOthersStillClassified() throws IOException {
        Path dir = tmp.resolve("mixed");
        Files.createDirectories(dir);
        write(dir.resolve("good.png"), 230, 20, 20, "png");
        Files.writeString(dir.resolve("broken.jpg"), "this is not a jpeg");
        Run r = run("classify", "--model", model.toString(), dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains(dir.resolve("broken.jpg") + ": not a readable image"), r.err());
        assertTrue(r.err().contains("1 of 2 images could not be read"), r.err());
        assertTrue(r.out().contains(dir.resolve("good.png") + ",red,"), r.out());
    }

    @Test
    void missingModelIsNamed() {
        Path nowhere = tmp.resolve("models/absent");
        Run r = run("classify", "--model", nowhere.toString(), images.toString());
        assertEquals(1, r.code());
        assertEquals("hematovision classify: " + nowhere + ": model bundle directory not found", r.err().strip());
    }

    @Test
    void badDeviceIsNamed() {
        Run r = run("classify", "--model", model.toString(), "--device", "tpu", images.toString());
        assertEquals(1, r.code());
        assertEquals("hematovision classify: inference.device: \"tpu\" is not a device (allowed: auto, cpu, gpu)", r.err().strip());
    }

    @Test
    void outOfRangeOptionsNameTheOptionTyped() {
        Run threads = run("classify", "--model", model.toString(), "--threads", "100", images.toString());
        assertEquals(2, threads.code());
        assertTrue(threads.err().contains("--threads must be 0..64"), threads.err());
        Run batch = run("classify", "--model", model.toString(), "--batch", "1000", images.toString());
        assertEquals(2, batch.code());
        assertTrue(batch.err().contains("--batch must be 1..256"), batch.err());
    }
}
