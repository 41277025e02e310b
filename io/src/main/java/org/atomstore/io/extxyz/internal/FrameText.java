package org.atomstore.io.extxyz.internal;

/**
 * The raw text of one frame as the scanner cut it out: the comment line and the atom lines present (fewer than
 * {@code natoms} when the file ended early), as {@code buf[from, to)} with their line terminators. Lines end at
 * {@code \n}, {@code \r\n} or a lone {@code \r} (see {@link Lines}).
 *
 * @param headerLine 1-based line number of the atom-count line
 * @param lineCount how many comment and atom lines {@code buf[from, to)} holds
 * @param nvec how many {@code VEC1}..{@code VEC3} cell lines follow the atom lines (ASE's pseudo-atom cell), also
 *     within {@code buf[from, to)}
 * @param bufOffset offset of {@code buf[0]} in the (decompressed) text, for positions in messages
 */
public record FrameText(byte[] buf, int from, int to, int lineCount, long headerLine, long natoms, int nvec, long bufOffset) {}
