package dev.rampart.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class TimestampsTest {

  @Test
  void commonShapes() {
    assertThat(Timestamps.format(Timestamps.parse("2020-10-18T10:56:18.799Z")))
        .isEqualTo("2020-10-18T10:56:18.799Z");
    assertThat(Timestamps.format(Timestamps.parse("2020-10-18 10:56:18.799")))
        .isEqualTo("2020-10-18T10:56:18.799Z");
    assertThat(Timestamps.format(Timestamps.parse("2020-10-18T12:56:18+02:00")))
        .isEqualTo("2020-10-18T10:56:18Z");
    assertThat(Timestamps.format(Timestamps.parse("2025-11-27T07:40:10.165324Z")))
        .isEqualTo("2025-11-27T07:40:10.165324Z");
    assertThat(Timestamps.format(Timestamps.parse("2025-11-27T07:40:10.1653245Z")))
        .isEqualTo("2025-11-27T07:40:10.165324500Z");
    assertThat(Timestamps.parse("1969-12-31T23:59:59.999999999Z")).isEqualTo(-1);
  }

  @Test
  void rejectsWhatIsNotATimestamp() {
    assertThat(Timestamps.parse("yesterday")).isEqualTo(Timestamps.UNSET);
    assertThat(Timestamps.parse("2020-02-30T00:00:00Z")).isEqualTo(Timestamps.UNSET);
    assertThat(Timestamps.parse("2020-10-18T25:00:00Z")).isEqualTo(Timestamps.UNSET);
  }

  @Test
  void epochSeconds() {
    assertThat(Timestamps.format(Timestamps.fromEpochSeconds(1_600_000_000.25)))
        .isEqualTo("2020-09-13T12:26:40.250Z");
  }

  /** The fast path agrees with java.time, the reference, on every instant it formats. */
  @Property(tries = 2000)
  void formatAgreesWithJavaTime(
      @ForAll @LongRange(min = -2_000_000_000_000_000_000L, max = 7_000_000_000_000_000_000L)
          long nanos) {
    Instant reference = Timestamps.toInstant(nanos);
    assertThat(Instant.parse(Timestamps.format(nanos))).isEqualTo(reference);
    assertThat(Timestamps.parse(Timestamps.format(nanos))).isEqualTo(nanos);
  }

  @Property(tries = 2000)
  void parseAgreesWithJavaTime(
      @ForAll @IntRange(min = 1900, max = 2200) int year,
      @ForAll @IntRange(min = 1, max = 12) int month,
      @ForAll @IntRange(min = 1, max = 28) int day,
      @ForAll @IntRange(min = 0, max = 86_399) int secondOfDay,
      @ForAll @IntRange(min = 0, max = 999_999_999) int nano,
      @ForAll @IntRange(min = -18 * 60, max = 18 * 60) int offsetMinutes) {
    LocalDateTime local =
        LocalDateTime.of(year, month, day, 0, 0).plusSeconds(secondOfDay).withNano(nano);
    ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetMinutes * 60);
    String text = OffsetDateTime.of(local, offset).toString();
    long expected = Timestamps.fromInstant(OffsetDateTime.of(local, offset).toInstant());
    assertThat(Timestamps.parse(text)).as(text).isEqualTo(expected);
  }
}
