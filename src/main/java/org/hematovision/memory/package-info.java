/**
 * Keeping the resident set of a months-long process small: giving free native heap pages back
 * ({@link org.hematovision.memory.NativeHeap}) and dropping library pages that were touched only
 * while loading ({@link org.hematovision.memory.LoadOnlyPages}).
 */
package org.hematovision.memory;
