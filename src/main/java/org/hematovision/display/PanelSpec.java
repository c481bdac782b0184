package org.hematovision.display;

/**
 * What a screen is rendered for: size in pixels (after rotation) and whether the panel shows colour.
 * Monochrome panels get a 1-bit layout without images; colour panels get the field thumbnail and crops.
 */
public record PanelSpec(int width, int height, boolean colour) {

    /** SSD1306 OLED. */
    public static final PanelSpec MONO_128X64 = new PanelSpec(128, 64, false);
    /** ST7789 TFT. */
    public static final PanelSpec COLOUR_240X240 = new PanelSpec(240, 240, true);
    /** ILI9341 TFT in landscape, and the PNG virtual display's default. */
    public static final PanelSpec COLOUR_320X240 = new PanelSpec(320, 240, true);

    public PanelSpec {
        if (width < 64 || height < 32 || width > 2048 || height > 2048) {
            throw new IllegalArgumentException("panel size must be 64x32..2048x2048, got " + width + "x" + height);
        }
    }

    @Override
    public String toString() {
        return width + "x" + height + (colour ? " colour" : " mono");
    }
}
