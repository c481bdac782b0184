package org.hematovision.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.hematovision.sample.DeviceStatus;
import org.hematovision.sample.StorageStatus;
import org.junit.jupiter.api.Test;

class DisplayControllerTest {

    private final List<String> problems = new ArrayList<>();

    private DisplayController controller(CapturingDisplay d) {
        return new DisplayController(d, new ScreenRenderer(), Runnable::run, null, problems::add);
    }

    /** A controller on {@code d} whose sample has started and counted one field. */
    private DisplayController countingOneField(CapturingDisplay d) {
        DisplayController c = controller(d);
        c.sampleStarted(ScreenFixtures.SAMPLE, 100);
        c.fieldAnalysed(ScreenFixtures.report(1), ScreenFixtures.running());
        return c;
    }

    @Test
    void failingDisplayIsLoggedOnceAndEventsKeepUpdatingTheState() {
        CapturingDisplay d = new CapturingDisplay(PanelSpec.MONO_128X64);
        DisplayController c = controller(d);
        d.failing = true;
        c.sampleStarted(ScreenFixtures.SAMPLE, 100);
        for (int i = 0; i < 5; i++) {
            c.fieldAnalysed(ScreenFixtures.report(i), ScreenFixtures.running());
            c.alert(ScreenFixtures.abnormal());
        }
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("remote I/O error"), "reason logged: " + problems.get(0));
        assertTrue(d.attempts >= 11, "every update still tried");
        Screen.Analysing a = assertInstanceOf(Screen.Analysing.class, c.state().screen());
        assertEquals(67, a.leukocytes());
        assertEquals(5, c.state().banner().orElseThrow().held());

        d.failing = false;
        c.sampleFinished(ScreenFixtures.finished(), "target reached");
        assertInstanceOf(Screen.Finished.class, c.state().screen());
        assertEquals(2, d.frames.size(), "the ready screen before the failure, then the recovered frame");
    }

    @Test
    void theResultStaysUpWhileTheDeviceWaitsForTheNextSlide() {
        CapturingDisplay d = new CapturingDisplay(PanelSpec.MONO_128X64);
        DisplayController c = countingOneField(d);
        c.sampleFinished(ScreenFixtures.finished(), "target reached");
        c.status(new DeviceStatus(DeviceStatus.State.READY, "press NEW SAMPLE for the next slide")); // as the run loop sends
        assertInstanceOf(Screen.Finished.class, c.state().screen());
        c.status(new DeviceStatus(DeviceStatus.State.OUT_OF_FOCUS, ""));
        assertInstanceOf(Screen.OutOfFocus.class, c.state().screen());
        c.status(new DeviceStatus(DeviceStatus.State.READY, ""));
        assertInstanceOf(Screen.Finished.class, c.state().screen(), "back to the result");
        c.sampleStarted(ScreenFixtures.SAMPLE + "-2", 100);
        c.status(new DeviceStatus(DeviceStatus.State.READY, ""));
        assertInstanceOf(Screen.Ready.class, c.state().screen(), "a new sample forgets the old result");
    }

    @Test
    void aFrameThePanelRefusedIsDrawnAgainAtTheNextLinkPoll() {
        CapturingDisplay d = new CapturingDisplay(PanelSpec.MONO_128X64);
        DisplayController c = controller(d);
        c.sampleStarted(ScreenFixtures.SAMPLE, 100);
        int before = d.frames.size();
        d.failing = true;
        c.alert(ScreenFixtures.abnormal());
        assertEquals(before, d.frames.size());
        d.failing = false; // the bus recovers; no sample event follows while the device is idle
        c.link(LinkStatus.ONLINE); // the same link state as before, polled every 2 s
        assertEquals(before + 1, d.frames.size(), "the refused frame is drawn on the retry");
        c.link(LinkStatus.ONLINE);
        assertEquals(before + 1, d.frames.size(), "no redraw once it works");
    }

    @Test
    void eachNewSampleResyncsThePanelOnce() {
        CapturingDisplay d = new CapturingDisplay(PanelSpec.MONO_128X64);
        DisplayController c = countingOneField(d);
        assertEquals(1, d.resyncs);
        c.sampleStarted(ScreenFixtures.SAMPLE + "-2", 100);
        assertEquals(2, d.resyncs);
    }

    @Test
    void aResumedSampleShowsItsCountsAtOnce() {
        CapturingDisplay d = new CapturingDisplay(PanelSpec.MONO_128X64);
        DisplayController c = controller(d);
        c.sampleStarted(ScreenFixtures.SAMPLE, 100);
        c.sampleResumed(ScreenFixtures.running());
        Screen.Analysing a = assertInstanceOf(Screen.Analysing.class, c.state().screen());
        assertEquals(ScreenFixtures.running().leukocytes(), a.leukocytes());
    }

    @Test
    void abnormalBannerIsHeldUntilAcknowledgedButReviewOnlyUntilTheNextField() {
        CapturingDisplay d = new CapturingDisplay(PanelSpec.COLOUR_240X240);
        DisplayController c = controller(d);
        c.sampleStarted(ScreenFixtures.SAMPLE, 100);
        c.alert(ScreenFixtures.abnormal());
        c.fieldAnalysed(ScreenFixtures.report(1), ScreenFixtures.running());
        c.sampleFinished(ScreenFixtures.finished(), "target reached");
        assertTrue(c.state().banner().isPresent(), "held across fields and the finish");
        assertTrue(c.acknowledge());
        assertTrue(c.state().banner().isEmpty());
        assertFalse(c.acknowledge(), "nothing left to acknowledge");

        c.alert(ScreenFixtures.review());
        assertTrue(c.state().banner().isPresent());
        c.fieldAnalysed(ScreenFixtures.report(2), ScreenFixtures.running());
        assertTrue(c.state().banner().isEmpty());
        assertFalse(c.acknowledge(), "a review alert is not held");
    }

    @Test
    void storageIndicatorAppearsWithTheUnsavedFieldsAndGoesWhenAllAreSaved() {
        CapturingDisplay d = new CapturingDisplay(PanelSpec.COLOUR_320X240);
        DisplayController c = countingOneField(d);
        java.awt.image.BufferedImage before = d.last();
        assertEquals(0, redPixelsInStatusBar(before), "no indicator while the storage works");

        c.storage(StorageStatus.failing(7, "No space left on device"));
        assertEquals(StorageStatus.failing(7, "No space left on device"), c.state().storage());
        assertInstanceOf(Screen.Analysing.class, c.state().screen(), "counting stays on screen");
        int withSeven = redPixelsInStatusBar(d.last());
        assertTrue(withSeven > 20, "red disk and count in the status bar: " + withSeven);

        c.storage(StorageStatus.failing(12, "No space left on device"));
        assertTrue(redPixelsInStatusBar(d.last()) != withSeven, "the count follows the fields in memory");

        c.storage(StorageStatus.OK);
        assertEquals(StorageStatus.OK, c.state().storage());
        BufferedImageAssert.sameAs(before, d.last());
    }

    /** Pixels of the indicator red in the status bar (colour panels). */
    private static int redPixelsInStatusBar(java.awt.image.BufferedImage img) {
        int n = 0;
        for (int y = 0; y < 20; y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == 0xE12D2D) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void closeShowsStoppedAndClosesTheDisplayOnce() {
        CapturingDisplay d = new CapturingDisplay(PanelSpec.COLOUR_320X240);
        DisplayController c = controller(d);
        c.status(new DeviceStatus(DeviceStatus.State.CAMERA_MISSING, ""));
        c.close();
        c.close();
        assertInstanceOf(Screen.Stopped.class, c.state().screen());
        assertTrue(d.closed);
        int frames = d.frames.size();
        c.status(new DeviceStatus(DeviceStatus.State.READY, ""));
        assertEquals(frames, d.frames.size(), "nothing shown after close");
    }

    @Test
    void ownThreadRendersAndCloseWaitsForTheStoppedScreen() {
        CapturingDisplay d = new CapturingDisplay(PanelSpec.COLOUR_320X240);
        DisplayController c = DisplayController.start(d);
        c.sampleStarted(ScreenFixtures.SAMPLE, 100);
        c.fieldAnalysed(ScreenFixtures.report(1), ScreenFixtures.running());
        c.close();
        assertTrue(d.closed);
        BufferedImageAssert.sameAs(new ScreenRenderer().render(
                new Screen.State(new Screen.Stopped(), java.util.Optional.empty(), LinkStatus.ONLINE),
                PanelSpec.COLOUR_320X240), d.last());
    }
}
