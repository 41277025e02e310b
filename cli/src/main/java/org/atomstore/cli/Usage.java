package org.atomstore.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * How {@code --help} lays out a command: an abbreviated synopsis ({@code Usage: atomstore convert [OPTIONS]
 * IN... OUT}), the description as paragraphs, then the arguments, the options and the subcommands in two
 * columns.
 *
 * <p>Text is wrapped at spaces only. picocli wraps with {@link java.text.BreakIterator}'s line rules, which
 * break inside {@code shard-00000000.atp}, {@code zstd:LEVEL} or {@code .atp}, so a path or an option value in
 * a help text could come out split over two lines; a word longer than the line stays whole here.
 *
 * <p>Stateless; {@link #install} is called once per command line, before it runs.
 */
final class Usage {
  /** Column where descriptions start in the option, argument and command lists. */
  static final int LEFT = 28;

  private Usage() {}

  static void install(CommandLine root) {
    for (CommandLine cl : all(root)) {
      var usage = cl.getCommandSpec().usageMessage();
      usage.abbreviateSynopsis(true);
      usage.parameterListHeading("%nArguments:%n");
      usage.optionListHeading("%nOptions:%n");
      usage.commandListHeading("%nCommands:%n");
      var sections = cl.getHelpSectionMap();
      sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION, help -> description(help.commandSpec()));
      sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, help -> parameters(help.commandSpec()));
      sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> options(help.commandSpec()));
      sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, help -> commands(help.commandSpec()));
    }
  }

  private static List<CommandLine> all(CommandLine cl) {
    List<CommandLine> out = new ArrayList<>();
    out.add(cl);
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!out.contains(sub)) out.addAll(all(sub));
    }
    return out;
  }

  private static int width(CommandSpec spec) {
    return Math.max(LEFT + 30, spec.usageMessage().width());
  }

  private static String description(CommandSpec spec) {
    StringBuilder sb = new StringBuilder();
    for (String paragraph : spec.usageMessage().description()) {
      for (String line : wrap(format(paragraph), width(spec))) sb.append(line).append(System.lineSeparator());
    }
    return sb.toString();
  }

  private static String parameters(CommandSpec spec) {
    List<String[]> rows = new ArrayList<>();
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (!p.hidden()) rows.add(new String[] {p.paramLabel(), text(p)});
    }
    return table(rows, width(spec));
  }

  private static String options(CommandSpec spec) {
    List<OptionSpec> options = new ArrayList<>(spec.options().stream().filter(o -> !o.hidden()).toList());
    // --help and --version last: they are the same for every command
    options.sort(Comparator.comparing(o -> o.usageHelp() || o.versionHelp()));
    List<String[]> rows = new ArrayList<>();
    for (OptionSpec o : options) rows.add(new String[] {names(o), text(o) + (o.required() ? " Required." : "")});
    return table(rows, width(spec));
  }

  private static String commands(CommandSpec spec) {
    List<String[]> rows = new ArrayList<>();
    for (var e : spec.subcommands().entrySet()) {
      var sub = e.getValue().getCommandSpec();
      if (sub.usageMessage().hidden() || !e.getKey().equals(sub.name())) continue;
      String[] h = sub.usageMessage().header();
      String[] d = sub.usageMessage().description();
      String summary = h.length > 0 ? h[0] : d.length > 0 ? d[0] : "";
      rows.add(new String[] {e.getKey(), format(summary).strip()});
    }
    return table(rows, width(spec));
  }

  private static String names(OptionSpec o) {
    String shortName = null;
    List<String> longNames = new ArrayList<>();
    for (String n : o.names()) {
      if (n.length() == 2 && shortName == null) shortName = n;
      else longNames.add(n);
    }
    StringBuilder sb = new StringBuilder(shortName == null ? "    " : shortName + (longNames.isEmpty() ? "" : ", "));
    sb.append(String.join(", ", longNames));
    if (o.arity().max() > 0) {
      sb.append(longNames.isEmpty() ? " " : "=").append(o.paramLabel());
      if (o.splitRegex() != null && !o.splitRegex().isEmpty()) sb.append("[,").append(o.paramLabel()).append("...]");
    }
    return sb.toString();
  }

  private static String text(ArgSpec a) {
    return format(String.join(" ", a.description()));
  }

  /** picocli's texts are format strings: {@code %n} is a line break, {@code %%} a percent sign. */
  private static String format(String s) {
    return s.replace("%n", "\n").replace("%%", "%");
  }

  /** Two columns: the left one from column 2, the right one from {@link #LEFT}, wrapped at spaces. */
  static String table(List<String[]> rows, int width) {
    String nl = System.lineSeparator();
    String pad = " ".repeat(LEFT);
    StringBuilder sb = new StringBuilder();
    for (String[] row : rows) {
      String left = "  " + row[0];
      List<String> lines = wrap(row[1], width - LEFT);
      if (left.length() + 2 > LEFT) {
        sb.append(left).append(nl);
        left = "";
      }
      for (int i = 0; i < lines.size(); i++) {
        String head = i == 0 ? left + " ".repeat(LEFT - left.length()) : pad;
        sb.append((head + lines.get(i)).stripTrailing()).append(nl);
      }
    }
    return sb.toString();
  }

  /** Lines of at most {@code width} characters, broken at spaces only; a longer word gets a line of its own. */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    for (String paragraph : text.split("\n", -1)) {
      StringBuilder line = new StringBuilder();
      for (String word : paragraph.strip().split(" +")) {
        if (word.isEmpty()) continue;
        if (!line.isEmpty() && line.length() + 1 + word.length() > width) {
          lines.add(line.toString());
          line.setLength(0);
        }
        if (!line.isEmpty()) line.append(' ');
        line.append(word);
      }
      lines.add(line.toString());
    }
    return lines;
  }
}
