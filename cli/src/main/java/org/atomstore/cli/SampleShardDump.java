package org.atomstore.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.atomstore.samples.SampleDump;
import org.atomstore.samples.internal.TarMembers;

/**
 * {@code atomstore dump SHARD.tar...}: the samples of atdata WebDataset shards as typed JSON, {@code {"samples":
 * [{"__key__": ..., "fields": {...}}]}} in the {@code fields} layout of atdata-expected/1. Printed only when
 * every shard was read.
 */
final class SampleShardDump {
  private SampleShardDump() {}

  static boolean handles(Path file) {
    return file.getFileName() != null && file.getFileName().toString().endsWith(".tar");
  }

  static int dump(List<Path> shards, Set<String> ndarrayFields, PrintWriter out) throws IOException {
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    ArrayNode samples = doc.putArray("samples");
    for (Path shard : shards) {
      try (InputStream in = Files.newInputStream(shard);
          var members = new TarMembers(shard.toString(), in, TarMembers.DEFAULT_MAX_MEMBER)) {
        for (TarMembers.Member m; (m = members.next()) != null; ) {
          if (!m.extension().equals("msgpack")) continue;
          SampleDump.Dump d = SampleDump.dump(m.bytes(), ndarrayFields, shard.toString(), m.name());
          ObjectNode s = samples.addObject();
          s.put("__key__", m.key());
          s.set("fields", d.fields());
        }
      }
    }
    out.println(DumpCommand.json().writeValueAsString(doc));
    out.flush();
    return ExitCodes.OK;
  }
}
