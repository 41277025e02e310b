package org.atomstore.io.extxyz;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.atomstore.io.ase.PyText;
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
}
