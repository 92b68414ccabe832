package dev.rampart.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CsvTest {
  @Test
  void quotesWhatRfc4180Needs() {
    assertThat(Csv.cell("plain")).isEqualTo("plain");
    assertThat(Csv.cell(null)).isEmpty();
    assertThat(Csv.cell(42)).isEqualTo("42");
    assertThat(Csv.cell("a,b")).isEqualTo("\"a,b\"");
    assertThat(Csv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    assertThat(Csv.cell("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(Csv.cell("cr\rhere")).isEqualTo("\"cr\rhere\"");
  }

  @Test
  void aSpreadsheetNeverRunsAnExportedValue() {
    assertThat(Csv.cell("=cmd|' /C calc'!A0")).isEqualTo("'=cmd|' /C calc'!A0");
    assertThat(Csv.cell("+1+1")).isEqualTo("'+1+1");
    assertThat(Csv.cell("-enc SQBFAFgA")).isEqualTo("'-enc SQBFAFgA");
    assertThat(Csv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
    assertThat(Csv.cell("\t=1")).isEqualTo("'\t=1");
    assertThat(Csv.cell("=HYPERLINK(\"http://x\",\"y\")"))
        .isEqualTo("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
    // numbers stay numbers
    assertThat(Csv.cell("-5")).isEqualTo("-5");
    assertThat(Csv.cell("-0.25")).isEqualTo("-0.25");
    assertThat(Csv.cell("+3e5")).isEqualTo("+3e5");
    assertThat(Csv.cell(-7L)).isEqualTo("-7");
  }

  @Test
  void rowsJoinCells() {
    assertThat(Csv.row("a", null, "b,c", 3)).isEqualTo("a,,\"b,c\",3");
    assertThat(Csv.row(Arrays.asList())).isEmpty();
  }
}
