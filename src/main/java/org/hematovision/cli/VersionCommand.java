package org.hematovision.cli;

import java.util.concurrent.Callable;
import org.tensorflow.TensorFlow;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Prints the software version and the versions of the native engines actually loaded. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print software, TensorFlow, OpenCV and FFmpeg versions.")
public final class VersionCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static String softwareVersion() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        out.println("hematovision " + softwareVersion());
        out.println("java " + System.getProperty("java.version") + " " + System.getProperty("os.arch"));
        out.println("tensorflow " + TensorFlow.version());
        out.println("opencv " + org.bytedeco.opencv.global.opencv_core.CV_VERSION);
        out.println("ffmpeg avformat " + versionString(org.bytedeco.ffmpeg.global.avformat.avformat_version()));
        return 0;
    }

    private static String versionString(int v) {
        return (v >> 16) + "." + ((v >> 8) & 0xff) + "." + (v & 0xff);
    }

    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"hematovision " + softwareVersion()};
        }
    }
}
