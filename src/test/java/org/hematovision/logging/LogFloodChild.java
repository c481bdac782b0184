package org.hematovision.logging;

import org.tinylog.Logger;

/** Child JVM for {@link LogConfigTest}: writes many debug lines through the configured writers. */
public final class LogFloodChild {

    public static void main(String[] args) {
        int lines = Integer.parseInt(args[0]);
        for (int i = 0; i < lines; i++) {
            Logger.debug("line {} of a message repeated to fill the rolling file", i);
        }
    }
}
