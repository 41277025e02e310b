package org.atomstore.io.extxyz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.atomstore.io.AseDump;
import org.atomstore.io.ase.AseAtoms;
import org.junit.jupiter.api.Test;

/**
 * The block scanner cuts frames and lines wherever a block ends; reading with tiny blocks (down to one byte), on
 * one or several threads, must give exactly what one big block gives, for every corpus file and for CRLF and
 * lone-CR variants of them, including the errors.
 */
class FrameScannerBoundaryTest {

  private static final Path CORPUS =
      Path.of(System.getProperty("atomstore.shared", "../shared")).resolve("testdata/generated/extxyz");

  /** Frames as corpus JSON, then the error (if any) the reader ended with. */
  static List<String> readAll(byte[] text, int threads, int firstBlock, int block) throws IOException {
    var out = new ArrayList<String>();
    try (var r = MappedExtxyzReader.<AseAtoms>open(new ByteArrayInputStream(text), Path.of("t.xyz"), threads,
        () -> a -> a, firstBlock, block)) {
      while (true) {
        AseAtoms a;
        try {
          a = r.read();
        } catch (ExtxyzFormatException e) {
          out.add("error: " + e.getMessage());
          break;
        }
        if (a == null) break;
        var w = new StringWriter();
        try (var g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(w)) {
          AseDump.writeFrame(g, a);
        }
        out.add(w.toString() + " @" + a.line());
      }
    }
    return out;
  }

  private static List<byte[]> variants(byte[] lf) {
    String s = new String(lf, StandardCharsets.UTF_8);
    return List.of(lf, s.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8),
        s.replace("\n", "\r").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void tinyBlocksGiveTheSameFramesAsOneBlockForEveryCorpusFile() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(CORPUS)) {
      files = s.filter(p -> p.toString().endsWith(".xyz") || p.toString().endsWith(".extxyz"))
          .filter(p -> {
            try {
              return Files.size(p) < 200_000;
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(5);
    for (Path f : files) {
      for (byte[] text : variants(Files.readAllBytes(f))) {
        List<String> expected = readAll(text, 1, 1 << 20, 1 << 20);
        for (int block : new int[] {1, 2, 3, 5, 8, 13, 64, 257}) {
          assertThat(readAll(text, 1, block, block)).as("%s block %d", f.getFileName(), block).isEqualTo(expected);
        }
        assertThat(readAll(text, 3, 16, 512)).as("%s 3 threads", f.getFileName()).isEqualTo(expected);
      }
    }
  }

  @Test
  void randomFramesErrorsAndLineEndingsSurviveEveryCut() throws IOException {
    long seed = new Random().nextLong();
    var rnd = new Random(seed);
    for (int trial = 0; trial < 40; trial++) {
      var sb = new StringBuilder();
      int frames = 1 + rnd.nextInt(6);
      for (int f = 0; f < frames; f++) {
        int n = rnd.nextInt(4);
        sb.append(rnd.nextInt(10) == 0 ? " " + n + "\t" : String.valueOf(n)).append(eol(rnd));
        sb.append("Properties=species:S:1:pos:R:3 energy=").append(rnd.nextInt(100)).append(eol(rnd));
        for (int a = 0; a < n; a++) {
          String x = rnd.nextInt(30) == 0 ? "1.x" : String.valueOf(rnd.nextDouble());
          sb.append(rnd.nextBoolean() ? "H" : "o").append("  ").append(x).append(" 0 ").append(-a).append(eol(rnd));
        }
        if (rnd.nextInt(15) == 0) sb.append("VEC1 1 0 0").append(eol(rnd));
      }
      if (rnd.nextInt(4) == 0) sb.setLength(Math.max(0, sb.length() - rnd.nextInt(20)));
      byte[] text = sb.toString().getBytes(StandardCharsets.UTF_8);
      List<String> expected = readAll(text, 1, 1 << 20, 1 << 20);
      for (int block = 1; block < 40; block += 3) {
        assertThat(readAll(text, 1 + trial % 3, block, block)).as("seed %d trial %d block %d", seed, trial, block)
            .isEqualTo(expected);
      }
    }
  }

  private static String eol(Random rnd) {
    return switch (rnd.nextInt(5)) {
      case 0 -> "\r\n";
      case 1 -> "\r";
      default -> "\n";
    };
  }
}
