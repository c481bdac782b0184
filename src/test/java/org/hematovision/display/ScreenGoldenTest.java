package org.hematovision.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.hematovision.sample.DeviceStatus;
import org.hematovision.sample.StorageStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every screen state, for every panel size, rendered from fixed synthetic events through the real
 * {@link DisplayController} and {@link ScreenRenderer}, compared pixel for pixel with the PNGs under
 * {@code docs/screens/}. Run with {@code -Dhematovision.updateGoldens=true} to rewrite them after an
 * intended change (then look at them). Failing renders are written to {@code target/screens-actual/}.
 */
class ScreenGoldenTest {

    private static final Path GOLDENS = Path.of("docs", "screens");
    private static final Path ACTUAL = Path.of("target", "screens-actual");
    private static final boolean UPDATE = Boolean.getBoolean("hematovision.updateGoldens");

    private record Scenario(String name, Consumer<DisplayController> events) {
    }

    private static final List<Scenario> SCENARIOS = List.of(
            new Scenario("ready", c -> { }),
            new Scenario("camera-missing", c -> c.status(new DeviceStatus(DeviceStatus.State.CAMERA_MISSING,
                    "/dev/video0 is gone"))),
            new Scenario("out-of-focus", c -> c.status(new DeviceStatus(DeviceStatus.State.OUT_OF_FOCUS, ""))),
            new Scenario("analysing-start", c -> c.sampleStarted(ScreenFixtures.SAMPLE, 100)),
            new Scenario("analysing", ScreenGoldenTest::analysing),
            new Scenario("abnormal", c -> {
                analysing(c);
                c.alert(ScreenFixtures.abnormal());
                c.alert(ScreenFixtures.abnormal());
            }),
            new Scenario("review", c -> {
                analysing(c);
                c.alert(ScreenFixtures.review());
            }),
            new Scenario("broker-offline", c -> {
                analysing(c);
                c.link(new LinkStatus(false, 12));
            }),
            new Scenario("storage-full", c -> {
                analysing(c);
                c.storage(StorageStatus.failing(7, "No space left on device"));
                c.link(new LinkStatus(true, 3));
            }),
            new Scenario("finished", c -> {
                analysing(c);
                c.sampleFinished(ScreenFixtures.finished(), "target reached");
                c.link(new LinkStatus(true, 5));
            }),
            new Scenario("stopped", DisplayController::close));

    private static void analysing(DisplayController c) {
        c.sampleStarted(ScreenFixtures.SAMPLE, 100);
        c.fieldAnalysed(ScreenFixtures.report(11), ScreenFixtures.running());
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (PanelSpec panel : List.of(PanelSpec.MONO_128X64, PanelSpec.COLOUR_240X240, PanelSpec.COLOUR_320X240)) {
            for (Scenario s : SCENARIOS) {
                out.add(Arguments.of(panel.width() + "x" + panel.height() + "-" + s.name(), panel, s));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void screenMatchesGolden(String name, PanelSpec panel, Scenario scenario) throws IOException {
        CapturingDisplay display = new CapturingDisplay(panel);
        DisplayController controller = new DisplayController(display, new ScreenRenderer(), Runnable::run);
        scenario.events().accept(controller);
        BufferedImage actual = display.last();
        assertEquals(panel.width(), actual.getWidth());
        assertEquals(panel.height(), actual.getHeight());

        Path golden = GOLDENS.resolve(name + ".png");
        if (UPDATE) {
            Files.createDirectories(GOLDENS);
            assertTrue(ImageIO.write(actual, "png", golden.toFile()));
            return;
        }
        if (!Files.exists(golden)) {
            fail("no golden " + golden + "; render it with -Dhematovision.updateGoldens=true and review it");
        }
        BufferedImage expected = ImageIO.read(golden.toFile());
        int differing = differingPixels(expected, actual);
        if (differing != 0) {
            Files.createDirectories(ACTUAL);
            ImageIO.write(actual, "png", ACTUAL.resolve(name + ".png").toFile());
            fail(name + ": " + differing + " pixels differ from " + golden + " (actual written to "
                    + ACTUAL.resolve(name + ".png") + "; if intended, update with -Dhematovision.updateGoldens=true)");
        }
    }

    static int differingPixels(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return Integer.MAX_VALUE;
        }
        int n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                if ((a.getRGB(x, y) & 0xFFFFFF) != (b.getRGB(x, y) & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }
}
