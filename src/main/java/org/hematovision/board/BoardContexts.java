package org.hematovision.board;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider;
import com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider;
import com.pi4j.plugin.linuxfs.provider.i2c.LinuxFsI2CProvider;
import com.pi4j.plugin.linuxfs.provider.spi.LinuxFsSpiProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProvider;
import com.pi4j.plugin.mock.provider.spi.MockSpiProvider;

/**
 * Pi4J contexts wired explicitly, never by classpath auto-detection (which would pick whatever plugin
 * has the highest priority, mock included): one provider per I/O type.
 */
public final class BoardContexts {

    private BoardContexts() {
    }

    /** The real board: GPIO through the kernel's character device (libgpiod), I2C and SPI through /dev. */
    public static Context hardware() {
        return Pi4J.newContextBuilder()
                .noAutoDetect()
                .add(GpioDDigitalInputProvider.newInstance(), GpioDDigitalOutputProvider.newInstance(),
                        LinuxFsI2CProvider.newInstance(), LinuxFsSpiProvider.newInstance())
                .build();
    }

    /** Pi4J's in-memory mock providers: for tests and for trying the board code without a board. */
    public static Context mock() {
        return Pi4J.newContextBuilder()
                .noAutoDetect()
                .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance(),
                        MockI2CProvider.newInstance(), MockSpiProvider.newInstance())
                .build();
    }

    /**
     * The hardware context, created on first use and shut down by {@link Lazy#close()}: hand it to
     * {@code Displays} and {@code Board} so a run with the PNG display and the board disabled never
     * starts Pi4J. Close it after the display and the board.
     */
    public static Lazy lazyHardware() {
        return new Lazy(BoardContexts::hardware);
    }

    /** A context made once, on first {@link #get()}; thread-safe. */
    public static final class Lazy implements java.util.function.Supplier<Context>, AutoCloseable {
        private final java.util.function.Supplier<Context> factory;
        private Context context;
        private boolean closed;

        Lazy(java.util.function.Supplier<Context> factory) {
            this.factory = factory;
        }

        @Override
        public synchronized Context get() {
            if (closed) {
                throw new IllegalStateException("the Pi4J context is closed");
            }
            if (context == null) {
                context = factory.get();
            }
            return context;
        }

        /** Shuts Pi4J down (outputs to their configured shutdown levels) if it was started. Idempotent. */
        @Override
        public synchronized void close() {
            closed = true;
            if (context != null) {
                context.shutdown();
                context = null;
            }
        }
    }
}
