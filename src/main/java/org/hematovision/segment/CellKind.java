package org.hematovision.segment;

/** What the classical segmenter can tell apart before classification. */
public enum CellKind {
    WBC, RBC, PLATELET;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
