package org.hematovision.pipeline;

/** The timed stages of the pipeline, in data-flow order. */
public enum Stage {
    /** Reading and decoding a frame from the source. */
    DECODE,
    /** Focus, exposure and motion checks. */
    GATE,
    /** Classical localization of cells. */
    SEGMENT,
    /** White-cell classification (batches of at most {@code inference.maxBatch} crops). */
    CLASSIFY,
    /** Counting and handing results to the sinks (display, MQTT, store). */
    PUBLISH,
    /** Giving the native heap's free pages back to the system after each field ({@link org.hematovision.memory.NativeHeap}). */
    TRIM
}
