package org.hematovision.display;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** A fake display that keeps every frame it was shown, optionally failing like an unplugged panel. */
final class CapturingDisplay implements Display {
    final List<BufferedImage> frames = new ArrayList<>();
    private final PanelSpec panel;
    boolean failing;
    int attempts;
    boolean closed;
    int resyncs;

    @Override
    public void resync() {
        resyncs++;
    }

    CapturingDisplay(PanelSpec panel) {
        this.panel = panel;
    }

    @Override
    public PanelSpec panel() {
        return panel;
    }

    @Override
    public void show(BufferedImage frame) {
        attempts++;
        if (failing) {
            throw new DisplayException("i2c-1@0x3c: remote I/O error (device not answering)");
        }
        frames.add(frame);
    }

    BufferedImage last() {
        return frames.get(frames.size() - 1);
    }

    @Override
    public String describe() {
        return "capturing " + panel;
    }

    @Override
    public void close() {
        closed = true;
    }
}
