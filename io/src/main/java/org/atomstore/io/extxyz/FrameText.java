package org.atomstore.io.extxyz;

/**
 * The raw text of one frame as the scanner cut it out: the comment line and the atom lines present (fewer than
 * {@code natoms} when the file ended early), as byte ranges of {@code buf} without line terminators.
 *
 * @param headerLine 1-based line number of the atom-count line
 * @param lineCount how many of {@code starts}/{@code ends} are used (comment line included)
 */
record FrameText(byte[] buf, int[] starts, int[] ends, int lineCount, long headerLine, long natoms) {}
