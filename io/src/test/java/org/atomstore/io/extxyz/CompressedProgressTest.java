package org.atomstore.io.extxyz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.atomstore.io.ase.AseAtoms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progress of a compressed text input is counted in bytes of the file as stored, so a bar against the file's size
 * shows a percentage: it grows while reading and ends at exactly the file's size.
 */
class CompressedProgressTest {

  private static final Path LARGE_GZ =
      Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("testdata/generated/extxyz/large_20k.xyz.gz");

  /** sourceBytesRead() after each frame, then after the end. */
  private static List<Long> progress(Path file) throws IOException {
    var seen = new ArrayList<Long>();
    try (var r = MappedExtxyzReader.<AseAtoms>open(file, 2, () -> a -> a)) {
      seen.add(r.sourceBytesRead());
      while (r.read() != null) seen.add(r.sourceBytesRead());
      seen.add(r.sourceBytesRead());
    }
    return seen;
  }

  private static void assertReachesFileSize(Path file) throws IOException {
    List<Long> seen = progress(file);
    long size = Files.size(file);
    assertThat(seen).as("never decreases").isSorted();
    assertThat(seen.getLast()).as("ends at the compressed file's size").isEqualTo(size);
    assertThat(seen).as("below the size while reading: a percentage, not 0 then 100").anyMatch(b -> b > 0 && b < size);
  }

  @Test
  void gzipProgressReachesTheCompressedSize() throws IOException {
    assertReachesFileSize(LARGE_GZ);
  }

  @Test
  void bzip2AndXzProgressReachTheCompressedSize(@TempDir Path dir) throws IOException {
    // random coordinates, so the compressed file spans many reads of the decompressor (about 2.6 MB of text, more than one 2 MiB block of the scanner)
    var rnd = new java.util.Random(7);
    var sb = new StringBuilder();
    for (int f = 0; f < 5000; f++) {
      sb.append("8\nProperties=species:S:1:pos:R:3 step=").append(f).append('\n');
      for (int a = 0; a < 8; a++) {
        sb.append("C ").append(rnd.nextDouble()).append(' ').append(rnd.nextDouble()).append(' ')
            .append(rnd.nextDouble()).append('\n');
      }
    }
    byte[] whole = sb.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    Path bz2 = dir.resolve("t.xyz.bz2");
    try (OutputStream o = new BZip2CompressorOutputStream(Files.newOutputStream(bz2))) {
      o.write(whole);
    }
    Path xz = dir.resolve("t.xyz.xz");
    try (OutputStream o = new XZCompressorOutputStream(Files.newOutputStream(xz), 0)) {
      o.write(whole);
    }
    assertReachesFileSize(bz2);
    assertReachesFileSize(xz);
  }

  @Test
  void plainTextProgressIsItsBytes(@TempDir Path dir) throws IOException {
    Path plain = dir.resolve("t.xyz");
    Files.write(plain, "2\nProperties=species:S:1:pos:R:3\nH 0 0 0\nH 0 0 1\n".repeat(1000).getBytes());
    assertThat(progress(plain).getLast()).isEqualTo(Files.size(plain));
  }
}
