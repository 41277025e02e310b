package org.atomstore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * Writes a comparison's results: {@code results.md} (machine, dataset, figures, Atomstore/peer ratios),
 * {@code results.csv} (every figure and ratio, one row per store) and PNG charts ({@code throughput.png},
 * {@code file_size.png}). Ratios divide the baseline Atomstore store's figure (the first {@code atp-*} store
 * measured) by the peer's: above 1 means Atomstore is faster, or for size, larger.
 */
public final class CompareReport {
  static final String MARKDOWN = "results.md";
  static final String CSV = "results.csv";
  static final String THROUGHPUT_PNG = "throughput.png";
  static final String SIZE_PNG = "file_size.png";

  private final CompareBench.Options options;
  private final List<StoreResult> results;
  private final Machine machine;
  private final StoreResult baseline;

  public CompareReport(CompareBench.Options options, List<StoreResult> results, Machine machine) {
    this.options = options;
    this.results = List.copyOf(results);
    this.machine = machine;
    this.baseline = results.stream().filter(r -> r.measured() && r.id().startsWith("atp-")).findFirst().orElse(null);
  }

  public void writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(MARKDOWN), markdown());
    Files.writeString(dir.resolve(CSV), csv());
    writeCharts(dir);
  }

  public Optional<StoreResult> baseline() { return Optional.ofNullable(baseline); }

  String markdown() {
    DatasetSpec s = options.spec();
    var sb = new StringBuilder();
    sb.append("# Atomstore side-by-side benchmark\n\n");
    sb.append("Measured ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(" with `atomstore bench --compare`.\n\n");
    sb.append("Dataset: ").append(String.format(Locale.ROOT, "%,d", s.molecules())).append(" synthetic molecules x ")
        .append(s.atoms()).append(" atoms (the reference benchmark's molecules: float32 positions, uint8 numbers")
        .append(s.withProps() ? ", float64 energy, float32 forces" : "")
        .append(s.withCustom() ? ", custom bandgap/formation_energy/eigenvalues[20]/mulliken_charges/hirshfeld_volumes" : "")
        .append("); payload ").append(mib(s.payloadBytes())).append(" MiB.\n");
    sb.append("Shuffled and energy reads: ").append(String.format(Locale.ROOT, "%,d", options.sampleCount()))
        .append(" molecules of a seeded permutation on ").append(options.threads())
        .append(options.threads() == 1 ? " thread" : " threads").append(", one molecule per call, warm page cache.\n\n");
    sb.append("Machine:\n");
    for (String line : machine.lines()) sb.append("- ").append(line).append('\n');
    sb.append('\n');
    sb.append("| store | write mol/s | sequential read mol/s | shuffled read mol/s | energy-only read mol/s | size MiB | bytes/mol | peak RSS in reads MiB | verified |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (StoreResult r : results) {
      if (!r.measured()) {
        sb.append("| ").append(r.id()).append(" | skipped: ").append(r.skipped()).append(" |||||||| |\n");
        continue;
      }
      sb.append("| ").append(r.id()).append(" | ").append(rate(r.writePerSecond())).append(" | ")
          .append(rate(r.sequentialPerSecond())).append(" | ").append(rate(r.shuffledPerSecond())).append(" | ")
          .append(rate(r.energyPerSecond())).append(" | ").append(mib(r.sizeBytes())).append(" | ")
          .append(String.format(Locale.ROOT, "%,.0f", (double) r.sizeBytes() / s.molecules())).append(" | ")
          .append(r.peakRssKib() < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", r.peakRssKib() / 1024)).append(" | ")
          .append(options.verify() ? (r.verified() ? "yes" : "NO") : "not checked").append(" |\n");
    }
    if (baseline != null) {
      sb.append("\nRatios ").append(baseline.id()).append(" / peer (above 1: ").append(baseline.id())
          .append(" faster; size: above 1 means ").append(baseline.id()).append(" larger):\n\n");
      sb.append("| peer | write | sequential | shuffled | energy-only | size |\n|---|---:|---:|---:|---:|---:|\n");
      for (StoreResult r : results) {
        if (!r.measured() || r == baseline) continue;
        sb.append("| ").append(r.id()).append(" | ").append(ratio(baseline.writePerSecond(), r.writePerSecond()))
            .append(" | ").append(ratio(baseline.sequentialPerSecond(), r.sequentialPerSecond()))
            .append(" | ").append(ratio(baseline.shuffledPerSecond(), r.shuffledPerSecond()))
            .append(" | ").append(ratio(baseline.energyPerSecond(), r.energyPerSecond()))
            .append(" | ").append(ratio(baseline.sizeBytes(), r.sizeBytes())).append(" |\n");
      }
    }
    sb.append("\nStores:\n");
    for (StoreResult r : results) sb.append("- `").append(r.id()).append("`: ").append(r.description()).append('\n');
    sb.append("\nCharts: `").append(THROUGHPUT_PNG).append("` (log scale), `").append(SIZE_PNG).append("`.\n");
    return sb.toString();
  }

  String csv() {
    DatasetSpec s = options.spec();
    var sb = new StringBuilder();
    sb.append("store,molecules,atoms_per_molecule,with_props,with_custom,threads,samples,write_mol_per_s,")
        .append("seq_read_mol_per_s,shuffled_read_mol_per_s,energy_read_mol_per_s,size_bytes,bytes_per_molecule,")
        .append("peak_rss_kib,verified,baseline,ratio_write,ratio_seq_read,ratio_shuffled_read,ratio_energy_read,")
        .append("ratio_size,skipped,description\n");
    for (StoreResult r : results) {
      List<String> row = new ArrayList<>();
      row.add(r.id());
      row.add(Integer.toString(s.molecules()));
      row.add(Integer.toString(s.atoms()));
      row.add(Boolean.toString(s.withProps()));
      row.add(Boolean.toString(s.withCustom()));
      row.add(Integer.toString(options.threads()));
      row.add(Integer.toString(options.sampleCount()));
      row.add(num(r.writePerSecond()));
      row.add(num(r.sequentialPerSecond()));
      row.add(num(r.shuffledPerSecond()));
      row.add(num(r.energyPerSecond()));
      row.add(r.measured() ? Long.toString(r.sizeBytes()) : "");
      row.add(r.measured() ? num((double) r.sizeBytes() / s.molecules()) : "");
      row.add(r.measured() && r.peakRssKib() >= 0 ? Long.toString(r.peakRssKib()) : "");
      row.add(options.verify() && r.measured() ? Boolean.toString(r.verified()) : "");
      boolean withRatios = baseline != null && r.measured();
      row.add(baseline == null ? "" : baseline.id());
      row.add(withRatios ? num(baseline.writePerSecond() / r.writePerSecond()) : "");
      row.add(withRatios ? num(baseline.sequentialPerSecond() / r.sequentialPerSecond()) : "");
      row.add(withRatios ? num(baseline.shuffledPerSecond() / r.shuffledPerSecond()) : "");
      row.add(withRatios ? num(baseline.energyPerSecond() / r.energyPerSecond()) : "");
      row.add(withRatios ? num((double) baseline.sizeBytes() / r.sizeBytes()) : "");
      row.add(r.skipped() == null ? "" : r.skipped());
      row.add(r.description());
      sb.append(String.join(",", row.stream().map(CompareReport::csvField).toList())).append('\n');
    }
    return sb.toString();
  }

  private void writeCharts(Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<StoreResult> measured = results.stream().filter(StoreResult::measured).toList();
    if (measured.isEmpty()) return;
    List<String> names = measured.stream().map(StoreResult::id).toList();
    DatasetSpec s = options.spec();
    String title = String.format(Locale.ROOT, "%,d molecules x %d atoms%s", s.molecules(), s.atoms(),
        s.withProps() ? " (energy + forces)" : "");

    CategoryChart speed = new CategoryChartBuilder().width(1000).height(560)
        .title("Throughput, molecules/s (log scale), " + title).xAxisTitle("store").yAxisTitle("molecules/s").build();
    speed.getStyler().setYAxisLogarithmic(true);
    // Bar charts otherwise start the axis at 0, which a log axis cannot show: start one decade below the least bar.
    double least = measured.stream().flatMap(r -> java.util.stream.Stream.of(r.writePerSecond(),
        r.sequentialPerSecond(), r.shuffledPerSecond(), r.energyPerSecond())).filter(v -> v > 1)
        .mapToDouble(Double::doubleValue).min().orElse(10);
    speed.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(least))));
    speed.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    speed.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    speed.addSeries("write", names, positive(measured.stream().map(StoreResult::writePerSecond).toList()));
    speed.addSeries("sequential read", names, positive(measured.stream().map(StoreResult::sequentialPerSecond).toList()));
    speed.addSeries("shuffled read", names, positive(measured.stream().map(StoreResult::shuffledPerSecond).toList()));
    speed.addSeries("energy-only read", names, positive(measured.stream().map(StoreResult::energyPerSecond).toList()));
    BitmapEncoder.saveBitmap(speed, dir.resolve(THROUGHPUT_PNG).toString(), BitmapEncoder.BitmapFormat.PNG);

    CategoryChart size = new CategoryChartBuilder().width(1000).height(480)
        .title("Size on disk, MiB, " + title).xAxisTitle("store").yAxisTitle("MiB").build();
    size.getStyler().setLegendVisible(false);
    size.addSeries("size", names, measured.stream().map(r -> (Number) (r.sizeBytes() / 1048576.0)).toList());
    BitmapEncoder.saveBitmap(size, dir.resolve(SIZE_PNG).toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  // A log axis cannot show zero or NaN; such bars are drawn at 1.
  private static List<Number> positive(List<Double> values) {
    return values.stream().map(v -> (Number) (v == null || !(v > 1) ? 1.0 : v)).toList();
  }

  private static String rate(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.0f", v);
  }

  private static String mib(long bytes) { return String.format(Locale.ROOT, "%,.1f", bytes / 1048576.0); }

  private static String ratio(double a, double b) {
    return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "n/a" : String.format(Locale.ROOT, "%.2fx", a / b);
  }

  private static String num(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String csvField(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
    return '"' + s.replace("\"", "\"\"") + '"';
  }
}
