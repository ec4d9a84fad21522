package io.vigil.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassificationTest {

  @ParameterizedTest(name = "rc {0} with {1} is {2}")
  @CsvSource({
      "0, DONE, OK",
      "8, DONE, OK",
      "7, DONE, NOT_RUNNING",
      "190, DONE, DEGRADED",
      "191, DONE, DEGRADED",
      "1, DONE, SOFT_ERROR",
      "9, DONE, SOFT_ERROR",
      "42, DONE, SOFT_ERROR",
      "2, DONE, HARD_ERROR",
      "3, DONE, HARD_ERROR",
      "4, DONE, HARD_ERROR",
      "5, DONE, HARD_ERROR",
      "6, DONE, FATAL_ERROR",
      "198, TIMED_OUT, TIMED_OUT",
      "1, TIMED_OUT, TIMED_OUT",
      "5, NOT_INSTALLED, NOT_INSTALLED",
      "0, CANCELLED, CANCELLED",
      "1, ERROR, SOFT_ERROR"})
  void classifiesAsPacemakerDoes(int rc, ExecStatus status, Classification expected) {
    assertThat(Classification.of(rc, status)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"0, OCF_SUCCESS", "7, OCF_NOT_RUNNING", "8, OCF_RUNNING_PROMOTED", "9, OCF_FAILED_PROMOTED",
      "190, OCF_DEGRADED", "191, OCF_DEGRADED_PROMOTED", "6, OCF_ERR_CONFIGURED", "77, UNKNOWN(77)"})
  void namesExitCodes(int rc, String name) {
    assertThat(OcfRc.name(rc)).isEqualTo(name);
  }

  @ParameterizedTest(name = "LSB {0} exit {1} is OCF {2}")
  @CsvSource({
      "status, 0, 0", "status, 1, 7", "status, 2, 7", "status, 3, 7", "status, 4, 1", "status, 150, 5",
      "status, 151, 4", "start, 0, 0", "start, 1, 1", "start, 5, 5", "stop, 7, 7", "start, 8, 1", "start, 127, 1"})
  void mapsLsbCodes(String action, int exit, int ocf) {
    assertThat(LsbRc.toOcf(action, exit)).isEqualTo(ocf);
  }
}
