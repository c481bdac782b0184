package org.hematovision.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.Arrays;

/**
 * An 8-bit, 3-channel image in OpenCV's BGR byte order, row-major, no padding. Plain Java memory,
 * so it can cross stage boundaries without dragging native memory along; stages that need OpenCV
 * wrap it in a Mat inside their own scope (see {@link ImageMats}).
 *
 * <p>The array is owned by the image: callers must not modify it after construction.
 */
public record BgrImage(int width, int height, byte[] pixels) {

    public BgrImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (pixels.length != width * height * 3) {
            throw new IllegalArgumentException(
                    "expected " + (width * height * 3) + " BGR bytes for " + width + "x" + height + ", got " + pixels.length);
        }
    }

    public int blue(int x, int y) {
        return pixels[(y * width + x) * 3] & 0xff;
    }

    public int green(int x, int y) {
        return pixels[(y * width + x) * 3 + 1] & 0xff;
    }

    public int red(int x, int y) {
        return pixels[(y * width + x) * 3 + 2] & 0xff;
    }

    /** A copy of the region {@code box} clipped to the image. */
    public BgrImage crop(Box box) {
        Box b = box.intersection(new Box(0, 0, width, height));
        if (b.width() == 0 || b.height() == 0) {
            throw new IllegalArgumentException("crop " + box + " lies outside the " + width + "x" + height + " image");
        }
        byte[] out = new byte[b.width() * b.height() * 3];
        for (int row = 0; row < b.height(); row++) {
            System.arraycopy(pixels, ((b.y() + row) * width + b.x()) * 3, out, row * b.width() * 3, b.width() * 3);
        }
        return new BgrImage(b.width(), b.height(), out);
    }

    /** A {@code TYPE_3BYTE_BGR} BufferedImage holding a copy of the pixels (same byte order, so no conversion). */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        System.arraycopy(pixels, 0, dst, 0, pixels.length);
        return img;
    }

    public static BgrImage fromBufferedImage(BufferedImage src) {
        BufferedImage img = src;
        if (src.getType() != BufferedImage.TYPE_3BYTE_BGR) {
            img = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
            var g = img.createGraphics();
            g.drawImage(src, 0, 0, null);
            g.dispose();
        }
        byte[] data = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
        return new BgrImage(img.getWidth(), img.getHeight(), Arrays.copyOf(data, data.length));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BgrImage b && b.width == width && b.height == height && Arrays.equals(b.pixels, pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "BgrImage[" + width + "x" + height + "]";
    }
}
