package org.hematovision.capture;

import java.nio.ByteBuffer;
import org.hematovision.image.BgrImage;

/** Copies a JavaCV frame (grabbed as BGR24) into a heap {@link BgrImage}. */
final class GrabbedFrames {

    private GrabbedFrames() {
    }

    /**
     * A heap copy of the frame's pixels. The JavaCV frame belongs to the grabber and is reused by the
     * next grab, so nothing of it may be kept.
     */
    static BgrImage toBgr(org.bytedeco.javacv.Frame frame) {
        if (frame.image == null || frame.image.length == 0 || frame.imageChannels != 3
                || frame.imageDepth != org.bytedeco.javacv.Frame.DEPTH_UBYTE) {
            throw new IllegalStateException("expected an 8-bit 3-channel BGR frame, got channels="
                    + frame.imageChannels + " depth=" + frame.imageDepth);
        }
        int w = frame.imageWidth;
        int h = frame.imageHeight;
        int rowBytes = w * 3;
        int stride = frame.imageStride; // in bytes for DEPTH_UBYTE; rows may be padded
        ByteBuffer src = ((ByteBuffer) frame.image[0]).duplicate();
        byte[] out = new byte[rowBytes * h];
        if (stride == rowBytes) {
            src.position(0);
            src.get(out, 0, out.length);
        } else {
            for (int row = 0; row < h; row++) {
                src.position(row * stride);
                src.get(out, row * rowBytes, rowBytes);
            }
        }
        return new BgrImage(w, h, out);
    }
}
