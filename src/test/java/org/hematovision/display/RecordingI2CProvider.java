package org.hematovision.display;

import com.pi4j.io.i2c.I2C;
import com.pi4j.io.i2c.I2CConfig;
import com.pi4j.plugin.mock.provider.i2c.MockI2C;
import com.pi4j.plugin.mock.provider.i2c.MockI2CProviderImpl;
import java.util.ArrayList;
import java.util.List;

/**
 * Pi4J's mock I2C provider, keeping each write as one transaction (the mock itself only keeps a byte
 * stream) and able to fail like a module pulled off the bus.
 */
final class RecordingI2CProvider extends MockI2CProviderImpl {

    final List<byte[]> writes = new ArrayList<>();
    boolean fail;

    @Override
    public I2C create(I2CConfig config) {
        MockI2C device = new MockI2C(this, config) {
            @Override
            public int write(byte[] data, int offset, int length) {
                if (fail) {
                    throw new com.pi4j.io.exception.IOException("Remote I/O error (device 0x"
                            + Integer.toHexString(config.device()) + " did not acknowledge)");
                }
                byte[] copy = new byte[length];
                System.arraycopy(data, offset, copy, 0, length);
                writes.add(copy);
                return super.write(data, offset, length);
            }
        };
        context.registry().add(device);
        return device;
    }
}
