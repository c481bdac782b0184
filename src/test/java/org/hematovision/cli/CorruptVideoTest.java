package org.hematovision.cli;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.hematovision.capture.Frame;
import org.hematovision.capture.synthetic.SmearParams;
import org.hematovision.capture.synthetic.SyntheticSmear;
import org.hematovision.capture.synthetic.SyntheticSource;
import org.hematovision.capture.synthetic.SyntheticSourceConfig;
import org.hematovision.classify.ColourModelAccess;
import org.hematovision.classify.ModelBundleWriter;
import org.hematovision.classify.ModelMetadataBuilder;
import org.hematovision.image.BgrImage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorded video that is truncated (copy interrupted, card pulled) or overwritten with garbage
 * mid-way, played through {@code run --source video:FILE}: the service ends cleanly (exit 0) and the
 * fields analysed before the damage are counted in the sample.
 */
class CorruptVideoTest {

    private static final int W = 320;
    private static final int H = 240;

    @TempDir
    static Path shared;
    static Path model;
    static Path intact;

    @BeforeAll
    static void videoAndModel() throws Exception {
        model = shared.resolve("model");
        ColourModelAccess.exportSavedModel(model);
        ModelBundleWriter.write(model, new ModelMetadataBuilder("colour-video", "0.1",
                List.of("red", "green", "blue", "grey")).inputSize(32, 32).build());
        intact = shared.resolve("slide.avi");
        SyntheticSource scene = new SyntheticSource(new SyntheticSmear(SmearParams.defaults().withSize(W, H)
                .withCounts(2, 60, 6)), SyntheticSourceConfig.live().withMaxFrames(240), 11);
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(intact.toFile(), W, H, 0);
             org.bytedeco.javacv.Frame frame = new org.bytedeco.javacv.Frame(W, H, org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3)) {
            rec.setFormat("avi");
            rec.setVideoCodec(AV_CODEC_ID_MJPEG);
            rec.setPixelFormat(AV_PIX_FMT_YUVJ420P);
            rec.setFrameRate(15);
            rec.start();
            for (Optional<Frame> f; (f = scene.next()).isPresent(); ) {
                copy(f.get().image(), frame);
                rec.record(frame, AV_PIX_FMT_BGR24);
            }
            rec.stop();
        }
    }

    private static void copy(BgrImage image, org.bytedeco.javacv.Frame frame) {
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int row = image.width() * 3;
        for (int y = 0; y < image.height(); y++) {
            buf.position(y * frame.imageStride);
            buf.put(image.pixels(), y * row, row);
        }
        buf.rewind();
    }

    /** Fields analysed as printed by run, checked against the sample's own field count. */
    private static long run(Path video, Path data) throws IOException {
        CliRunner.Result r = CliRunner.run("run", "--source", "video:" + video, "--model", model.toString(),
                "--set", "data.dir=" + data, "--set", "mqtt.port=" + HotPlugTest.freePort(),
                "--set", "sample.targetCells=1000", "--set", "sample.maxFields=0");
        assertEquals(0, r.exitCode(), () -> "exit code; stderr:\n" + r.err());
        assertTrue(r.out().contains("stopped: end of source"), r.out());
        Matcher m = Pattern.compile("(\\d+) fields analysed").matcher(r.out());
        assertTrue(m.find(), r.out());
        long analysed = Long.parseLong(m.group(1));
        Matcher d = Pattern.compile("differential \\S+: \\d+ WBC in (\\d+) fields").matcher(r.out());
        assertTrue(d.find(), r.out());
        assertEquals(analysed, Long.parseLong(d.group(1)), "every analysed field is counted in the sample");
        long fieldLines = r.out().lines().filter(l -> l.startsWith("field ")).count();
        assertEquals(analysed, fieldLines, r.out());
        return analysed;
    }

    @Test
    @Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
    void truncatedAndGarbledVideosEndCleanlyWithTheFieldsBeforeTheDamageCounted(@TempDir Path dir) throws Exception {
        long full = run(intact, dir.resolve("full"));
        assertTrue(full >= 4, "the intact video must give several fields, got " + full);

        byte[] bytes = Files.readAllBytes(intact);
        Path truncated = dir.resolve("truncated.avi");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length * 55 / 100));
        long beforeCut = run(truncated, dir.resolve("truncated"));
        assertTrue(beforeCut > 0 && beforeCut < full, "truncated: " + beforeCut + " of " + full + " fields");

        Path garbled = dir.resolve("garbled.avi");
        Files.write(garbled, bytes);
        try (RandomAccessFile f = new RandomAccessFile(garbled.toFile(), "rw")) {
            byte[] junk = new byte[bytes.length / 5];
            new Random(3).nextBytes(junk);
            f.seek(bytes.length / 2);
            f.write(junk);
        }
        long garbledFields = run(garbled, dir.resolve("garbled"));
        System.out.println("corrupt video: fields analysed intact " + full + ", truncated at 55% " + beforeCut
                + ", 20% garbled mid-way " + garbledFields);
        assertTrue(garbledFields > 0 && garbledFields <= full, "garbled: " + garbledFields + " of " + full + " fields");
    }
}
