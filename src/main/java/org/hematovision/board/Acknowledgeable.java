package org.hematovision.board;

/** Something that holds an alert until the operator acknowledges it (the screen banner, the red LED). */
public interface Acknowledgeable {

    /** Releases any held alert; returns true when one was held (so the press meant "acknowledge"). */
    boolean acknowledge();
}
