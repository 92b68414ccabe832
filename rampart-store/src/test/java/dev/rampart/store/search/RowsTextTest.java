package dev.rampart.store.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Numbers as tables and the console show them: short, and never an exponent for a timestamp. */
class RowsTextTest {
  @Test
  void doublesReadAsPeopleWriteThem() {
    assertThat(Rows.text(3.0)).isEqualTo("3.0");
    assertThat(Rows.text(10.0 / 3)).isEqualTo("3.333");
    assertThat(Rows.text(0.040816)).isEqualTo("0.04082");
    assertThat(Rows.text(12345.678)).isEqualTo("12345.678");
    // Zeek's ts: seconds since 1970 with microseconds; to the millisecond, no exponent
    assertThat(Rows.text(1796705319.4736304)).isEqualTo("1796705319.474");
    assertThat(Rows.text(-2.5)).isEqualTo("-2.5");
    assertThat(Rows.text(0.00001234)).isEqualTo("1.234e-05");
    assertThat(Rows.text(Double.NaN)).isEqualTo("NaN");
    assertThat(Rows.text(null)).isEmpty();
    assertThat(Rows.text(42L)).isEqualTo("42");
    assertThat(Rows.text("ws-07")).isEqualTo("ws-07");
  }
}
