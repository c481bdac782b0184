package org.hematovision.capture;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MJPEG;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVJ420P;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.hematovision.capture.synthetic.SyntheticSource;
import org.hematovision.image.BgrImage;

/** Records a synthetic source into a real video file with FFmpeg, keeping each frame's ground truth. */
final class SyntheticVideos {

    private SyntheticVideos() {
    }

    /** MJPEG in AVI: what many USB microscope cameras deliver, and part of every FFmpeg build. */
    static List<SyntheticSource.FrameTruth> writeMjpeg(SyntheticSource source, Path file, int width, int height, int fps)
            throws Exception {
        List<SyntheticSource.FrameTruth> truth = new ArrayList<>();
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0)) {
            recorder.setFormat("avi");
            recorder.setVideoCodec(AV_CODEC_ID_MJPEG);
            recorder.setPixelFormat(AV_PIX_FMT_YUVJ420P);
            recorder.setFrameRate(fps);
            recorder.setVideoQuality(3); // qscale: good quality, as a camera's MJPEG
            recorder.start();
            try (org.bytedeco.javacv.Frame frame = new org.bytedeco.javacv.Frame(width, height,
                    org.bytedeco.javacv.Frame.DEPTH_UBYTE, 3)) {
                for (Optional<Frame> f; (f = source.next()).isPresent(); ) {
                    put(frame, f.get().image());
                    recorder.record(frame, AV_PIX_FMT_BGR24);
                    truth.add(source.truthAt(f.get().index()));
                }
            }
            recorder.stop();
        }
        return truth;
    }

    private static void put(org.bytedeco.javacv.Frame frame, BgrImage image) {
        ByteBuffer buf = (ByteBuffer) frame.image[0];
        int row = image.width() * 3;
        for (int y = 0; y < image.height(); y++) {
            buf.position(y * frame.imageStride);
            buf.put(image.pixels(), y * row, row);
        }
        buf.rewind();
    }
}
