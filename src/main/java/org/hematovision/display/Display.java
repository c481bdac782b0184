package org.hematovision.display;

import java.awt.image.BufferedImage;

/**
 * A screen: the PNG virtual display or a panel on the board's buses. Frames are rendered once by
 * {@link ScreenRenderer} at {@link #panel()}'s size; each implementation converts them to its own
 * pixel format.
 *
 * <p>Contract: {@link #show} is called from one thread at a time. If it throws {@link DisplayException}
 * the frame was not (fully) shown and the display assumes nothing about what the panel holds: the next
 * call writes the whole frame again. {@link #close} is idempotent and leaves the last frame visible
 * (the caller shows a "stopped" screen first); after close, {@code show} throws.
 */
public interface Display extends AutoCloseable {

    /** Size and colour depth frames must be rendered at. */
    PanelSpec panel();

    /** Shows {@code frame} (exactly {@code panel()} in size). */
    void show(BufferedImage frame);

    /**
     * The next {@link #show} sends the panel's set-up and the whole frame again although no write failed: a
     * module that lost power between two writes (a loose jumper) answers normally but sits at its reset
     * state, dark. Called at each new sample. Displays with nothing to set up ignore it.
     */
    default void resync() {
    }

    /** A short description for logs, e.g. {@code ssd1306 i2c-1@0x3c}. */
    String describe();

    @Override
    void close();
}
