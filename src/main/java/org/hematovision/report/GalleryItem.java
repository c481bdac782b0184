package org.hematovision.report;

import org.hematovision.image.Box;

/**
 * One cell kept in a sample's gallery.
 *
 * @param file        crop file, relative to the record ({@code gallery/...png})
 * @param fieldFile   the whole field it was found in, relative to the record ({@code fields/...png})
 * @param fieldIndex  field index
 * @param kind        {@code abnormal} or {@code review}
 * @param label       predicted label (for review: the label the classifier was unsure of)
 * @param probability classifier probability of that label
 * @param box         where in the field
 */
public record GalleryItem(String file, String fieldFile, long fieldIndex, String kind, String label, float probability,
                          Box box) {
}
