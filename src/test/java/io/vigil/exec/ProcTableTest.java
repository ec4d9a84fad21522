package io.vigil.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcTableTest {
  @Test
  void parsesCommandNamesWithSpacesAndParentheses() {
    ProcTable.Proc p = ProcTable.parse(42, "42 (we ird) (x)) S 7 40 30 0 -1 4194560 ...");
    assertThat(p).isEqualTo(new ProcTable.Proc(42, 'S', 7, 40, 30));
  }

  @Test
  void seesItsOwnProcess() {
    long me = ProcessHandle.current().pid();
    assertThat(ProcTable.read(me)).hasValueSatisfying(p -> assertThat(p.zombie()).isFalse());
  }
}
