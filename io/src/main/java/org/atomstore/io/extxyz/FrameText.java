package org.atomstore.io.extxyz;

/**
 * The raw text of one frame as the scanner cut it out: the comment line and the atom lines present (fewer than
 * {@code natoms} when the file ended early), as {@code buf[from, to)} with their line terminators. Lines end at
 * {@code \n}, {@code \r\n} or a lone {@code \r} (see {@link Lines}).
 *
 * @param headerLine 1-based line number of the atom-count line
 * @param lineCount how many lines {@code buf[from, to)} holds (comment line included)
 */
record FrameText(byte[] buf, int from, int to, int lineCount, long headerLine, long natoms) {}
