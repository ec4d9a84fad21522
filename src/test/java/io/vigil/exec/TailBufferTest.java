package io.vigil.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TailBufferTest {

  @Test
  void keepsEverythingBelowCapacity() {
    TailBuffer t = new TailBuffer(16);
    t.write("hello".getBytes(StandardCharsets.UTF_8), 0, 5);
    assertThat(t.text()).isEqualTo("hello");
    assertThat(t.truncated()).isFalse();
  }

  @Test
  void keepsOnlyTheTailOfLongOutput() {
    TailBuffer t = new TailBuffer(8);
    byte[] data = "0123456789abcdef-END".getBytes(StandardCharsets.UTF_8);
    t.write(data, 0, data.length);
    assertThat(t.text()).isEqualTo("cdef-END");
    assertThat(t.truncated()).isTrue();
    assertThat(t.totalWritten()).isEqualTo(data.length);
  }

  @Property
  void alwaysHoldsTheLastBytesWritten(@ForAll @IntRange(min = 1, max = 64) int capacity,
      @ForAll @Size(max = 20) List<@Size(max = 100) byte[]> chunks) {
    TailBuffer t = new TailBuffer(capacity);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] c : chunks) {
      t.write(c, 0, c.length);
      all.writeBytes(c);
    }
    byte[] expected = all.toByteArray();
    byte[] tail = Arrays.copyOfRange(expected, Math.max(0, expected.length - capacity), expected.length);
    assertThat(t.bytes()).isEqualTo(tail);
    assertThat(t.truncated()).isEqualTo(expected.length > capacity);
  }
}
