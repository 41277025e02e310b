package org.atomstore.io.extxyz.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Random;
import org.atomstore.io.ase.internal.PyText;
import org.atomstore.io.ase.PyValue;
import org.junit.jupiter.api.Test;

class CommentParserTest {

  @Test
  void quickNumericTypingAgreesWithTheGeneralRules() {
    long seed = System.nanoTime();
    var random = new Random(seed);
    String alphabet = "0123456789012345678901234567890123456789..eE+-+-  ,\t_x";
    int answered = 0;
    for (int i = 0; i < 200_000; i++) {
      var sb = new StringBuilder();
      int len = random.nextInt(30);
      for (int k = 0; k < len; k++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      String v = sb.toString();
      PyValue quick = CommentParser.simpleNumeric(v);
      if (quick == null) continue;
      answered++;
      assertThat(quick).as("value '%s' (seed %d)", v, seed).isEqualTo(CommentParser.numeric(PyText.splitCommaSpace(v)));
    }
    assertThat(answered).as("seed %d", seed).isGreaterThan(1000);
  }

  @Test
  void valuesBeyondTheQuickPathKeepAseTyping() throws Exception {
    assertThat(CommentParser.type("k", "1 2.5")).isEqualTo(PyValue.NdArray.float64(new int[] {2}, new double[] {1, 2.5}));
    assertThat(CommentParser.type("k", "1_000")).isEqualTo(new PyValue.PyInt(1000));
    assertThat(CommentParser.type("k", "12345678901234567890")).isEqualTo(new PyValue.PyFloat(12345678901234567890.0));
    assertThat(CommentParser.type("k", "-7")).isEqualTo(new PyValue.PyInt(-7));
    assertThat(CommentParser.type("k", "1e5,2")).isEqualTo(PyValue.NdArray.float64(new int[] {2}, new double[] {1e5, 2}));
    assertThat(CommentParser.type("k", "1-2")).isEqualTo(new PyValue.PyStr("1-2"));
  }

  // Expected values are what ASE 3.22's key_val_str_to_dict gives for these lines.
  @Test
  void splitsPairsWithQuotesEscapesAndEqualsSignsAsAse() throws Exception {
    assertThat(CommentParser.parse("a=\"x y\" b=c\\ d"))
        .containsExactly(entry("a", new PyValue.PyStr("x y")), entry("b", new PyValue.PyStr("c d")));
    assertThat(CommentParser.parse("k=\"a\\\"b\" m=1"))
        .containsExactly(entry("k", new PyValue.PyStr("a\"b")), entry("m", new PyValue.PyInt(1)));
    assertThat(CommentParser.parse("a=b=c d"))
        .containsExactly(entry("a", new PyValue.PyStr("b=c")), entry("d", new PyValue.PyBool(true)));
    assertThat(CommentParser.parse("x=\"ab\"cd\"ef\" y"))
        .containsExactly(entry("x", new PyValue.PyStr("abcdef")), entry("y", new PyValue.PyBool(true)));
    assertThat(CommentParser.parse("s=\"p\\\\q\""))
        .containsExactly(entry("s", new PyValue.PyStr("p\\q")));
    assertThat(CommentParser.parse("q=[1 2 3] w={T F}")).containsExactly(
        entry("q", PyValue.NdArray.int64(new int[] {3}, new long[] {1, 2, 3})),
        entry("w", new PyValue.PyList(java.util.List.of(new PyValue.PyBool(true), new PyValue.PyBool(false)))));
  }
}
