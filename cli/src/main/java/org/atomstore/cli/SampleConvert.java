package org.atomstore.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.atomstore.codec.Compression;
import org.atomstore.samples.AtomsSample;
import org.atomstore.samples.KeyedSample;
import org.atomstore.samples.SampleType;
import org.atomstore.samples.blocks.BlockDatasetWriter;
import org.atomstore.samples.wds.ShardWriter;
import org.atomstore.samples.wds.WdsDataset;
import org.atomstore.store.AtpReader;

/**
 * The sample forms of {@code convert}: {@code .atp} files to atdata WebDataset shards of {@link AtomsSample}
 * ({@code OUT.tar} or {@code OUT-%06d.tar}) or to a block-compressed dataset ({@code --format blocks}), and atdata
 * shards back to {@code .atp}.
 */
final class SampleConvert {
  private SampleConvert() {}

  static boolean isShard(String path) {
    return path.toLowerCase(Locale.ROOT).endsWith(".tar");
  }

  /** .atp inputs to shards; returns the number of structures. */
  static long toShards(List<Path> inputs, String pattern, long maxCount, PrintWriter out) throws IOException {
    var type = SampleType.of(AtomsSample.class);
    long n = 0;
    boolean rolls = pattern.contains("%");
    try (var w = ShardWriter.local(type, Path.of(pattern), rolls ? maxCount : Long.MAX_VALUE, Long.MAX_VALUE)) {
      for (Path in : inputs) {
        try (AtpReader r = AtpReader.open(in)) {
          for (long i = 0; i < r.size(); i++, n++) w.write(AtomsSample.of(r.get(i)));
        }
      }
      w.close();
      out.printf("converted %,d structures to %d atdata shard(s): %s%n", n, w.shards().size(), String.join(" ", w.shards()));
    }
    return n;
  }

  /** .atp inputs to a block dataset directory. */
  static long toBlocks(List<Path> inputs, Path dir, int blockSize, boolean dictionary, PrintWriter out) throws IOException {
    var type = SampleType.of(AtomsSample.class);
    long n = 0;
    try (var w = BlockDatasetWriter.create(type, dir, blockSize, dictionary)) {
      for (Path in : inputs) {
        try (AtpReader r = AtpReader.open(in)) {
          for (long i = 0; i < r.size(); i++, n++) w.add(AtomsSample.of(r.get(i)));
        }
      }
    }
    out.printf("converted %,d structures to block dataset %s%n", n, dir);
    return n;
  }

  /** Shards of AtomsSample back to one .atp file, written atomically. */
  static long fromShards(List<Path> shards, Path outAtp, Compression compression, PrintWriter out) throws IOException {
    var ds = WdsDataset.local(SampleType.of(AtomsSample.class), shards);
    long n = AtomicAtp.write(outAtp, compression, w -> {
      long count = 0;
      try (var it = ds.ordered()) {
        while (it.hasNextSample()) {
          KeyedSample<AtomsSample> s = it.nextSample();
          try {
            w.add(s.sample().toMolecule());
          } catch (IllegalArgumentException e) {
            throw new org.atomstore.samples.CorruptSampleException(s.shard(), s.key(), null, -1, "not a structure: " + e.getMessage(), e);
          }
          count++;
        }
      }
      return count;
    });
    out.printf("converted %,d structures to %s%n", n, outAtp);
    return n;
  }
}
