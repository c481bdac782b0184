package org.hematovision.sample;

import java.time.Instant;
import java.util.List;
import org.hematovision.field.Field;
import org.hematovision.segment.Segmentation;

/**
 * Everything learnt from one analysed field, handed to the sample and the sinks.
 *
 * @param sampleId     the sample this field belongs to
 * @param field        the accepted field (with its image and quality)
 * @param time         wall-clock time of analysis
 * @param segmentation what the segmenter found
 * @param calls        one entry per white cell, in {@code segmentation.whiteCells()} order
 */
public record FieldReport(String sampleId, Field field, Instant time, Segmentation segmentation, List<CellCall> calls) {

    public FieldReport {
        calls = List.copyOf(calls);
    }
}
