package org.hematovision.memory;

import org.bytedeco.javacpp.Pointer;
import org.tinylog.Logger;

/**
 * Returns free native heap pages to the system. TensorFlow, OpenCV and FFmpeg allocate and free
 * tens of megabytes per field through glibc's malloc, which keeps freed pages inside its arenas;
 * without a trim the resident set settles at the largest field's peak plus fragmentation.
 * {@code malloc_trim(0)} (through JavaCPP) gives those pages back once per analysed field.
 */
public final class NativeHeap {

    private boolean available = true;

    /** Trims once; does nothing where glibc's trim is unavailable (logged once). */
    public void trim() {
        if (!available) {
            return;
        }
        try {
            Pointer.trimMemory();
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            available = false;
            Logger.warn("native heap trim unavailable ({}): resident memory may stay at its peak", e.toString());
        }
    }
}
