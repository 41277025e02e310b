package org.atomstore.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged compressed input is corrupt input (exit 3) naming the file, not an I/O failure (exit 4). */
class DamagedCompressedInputTest {

  @TempDir Path dir;

  @Test
  void truncatedGzipIsCorruptInputNamingTheFile() throws Exception {
    var bytes = new ByteArrayOutputStream();
    try (var gz = new GZIPOutputStream(bytes)) {
      for (int i = 0; i < 5000; i++) gz.write(("1\nenergy=" + i + "\nH 0 0 " + i + "\n").getBytes(StandardCharsets.US_ASCII));
    }
    Path cut = dir.resolve("cut.xyz.gz");
    byte[] b = bytes.toByteArray();
    Files.write(cut, Arrays.copyOf(b, b.length / 2));
    var convert = CliRun.of("convert", cut.toString(), dir.resolve("o.atp").toString());
    assertThat(convert.exitCode()).as(convert.err()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(convert.err()).contains("cut.xyz.gz").contains("gzip");
    assertThat(dir.resolve("o.atp")).doesNotExist();
    var dump = CliRun.of("dump", cut.toString());
    assertThat(dump.exitCode()).as(dump.err()).isEqualTo(ExitCodes.CORRUPT_INPUT);
    assertThat(dump.err()).contains("cut.xyz.gz");
  }
}
