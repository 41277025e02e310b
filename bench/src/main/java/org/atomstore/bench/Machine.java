package org.atomstore.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A short description of the machine and JVM a benchmark ran on, for the report. */
public record Machine(String cpu, int cores, long memoryMib, String os, String java, String maxHeap) {

  public static Machine current() {
    String cpu = "unknown";
    long mem = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          cpu = line.substring(line.indexOf(':') + 1).trim();
          break;
        }
      }
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          mem = Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
          break;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: keep "unknown"
    }
    return new Machine(cpu, Runtime.getRuntime().availableProcessors(), mem,
        System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        String.format("%.1f GiB", Runtime.getRuntime().maxMemory() / 1073741824.0));
  }

  public List<String> lines() {
    var l = new ArrayList<String>();
    l.add("CPU: " + cpu + " (" + cores + " cores available to the JVM)");
    l.add("Memory: " + (memoryMib < 0 ? "unknown" : memoryMib + " MiB"));
    l.add("OS: " + os);
    l.add("JVM: " + java + ", max heap " + maxHeap);
    return l;
  }
}
