package org.hematovision.image;

/** An axis-aligned rectangle in pixel coordinates of a field image; {@code x,y} is the top-left corner. */
public record Box(int x, int y, int width, int height) {

    public Box {
        if (width < 0 || height < 0) {
            throw new IllegalArgumentException("box size must be >= 0, got " + width + "x" + height);
        }
    }

    public static Box ofCorners(int x0, int y0, int x1, int y1) {
        return new Box(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0));
    }

    public int right() {
        return x + width;
    }

    public int bottom() {
        return y + height;
    }

    public long area() {
        return (long) width * height;
    }

    public double centerX() {
        return x + width / 2.0;
    }

    public double centerY() {
        return y + height / 2.0;
    }

    public Box intersection(Box o) {
        int x0 = Math.max(x, o.x);
        int y0 = Math.max(y, o.y);
        int x1 = Math.min(right(), o.right());
        int y1 = Math.min(bottom(), o.bottom());
        return (x1 <= x0 || y1 <= y0) ? new Box(x0, y0, 0, 0) : new Box(x0, y0, x1 - x0, y1 - y0);
    }

    /** Intersection over union; 0 when either box is empty. */
    public double iou(Box o) {
        long inter = intersection(o).area();
        long union = area() + o.area() - inter;
        return union <= 0 ? 0.0 : (double) inter / union;
    }

    /** This box grown by {@code margin} pixels on every side, then clipped to a {@code w x h} image. */
    public Box expandWithin(int margin, int w, int h) {
        int x0 = Math.max(0, x - margin);
        int y0 = Math.max(0, y - margin);
        int x1 = Math.min(w, right() + margin);
        int y1 = Math.min(h, bottom() + margin);
        return new Box(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }

    /** True when the box touches the border of a {@code w x h} image. */
    public boolean touchesBorder(int w, int h) {
        return x <= 0 || y <= 0 || right() >= w || bottom() >= h;
    }
}
