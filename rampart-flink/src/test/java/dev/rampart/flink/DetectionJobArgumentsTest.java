package dev.rampart.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Flink job's command line: defaults, every argument, and each mistake named. */
class DetectionJobArgumentsTest {
  @Test
  void defaultsAndEveryArgument() {
    DetectionJob.Options d = DetectionJob.arguments(new String[] {"--bootstrap", "k:9092"});
    assertThat(d.bootstrap()).isEqualTo("k:9092");
    assertThat(d.eventsTopic()).isEqualTo("rampart.events");
    assertThat(d.parallelism()).isEqualTo(1);
    assertThat(d.lateness()).isEqualTo(Duration.ofSeconds(30));
    assertThat(d.idleness()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.exactlyOnce()).isFalse();
    assertThat(d.correlationLevels()).isEqualTo(DetectionJob.Options.DEFAULT_LEVELS);
    DetectionJob.Options all =
        DetectionJob.arguments(
            ("--bootstrap a:1,b:2 --events e --rules r --alerts al --dead-letters dl"
                    + " --parallelism 8 --lateness-seconds 5 --idleness-seconds 7"
                    + " --exactly-once true --correlation-levels 4")
                .split(" "));
    assertThat(all.bootstrap()).isEqualTo("a:1,b:2");
    assertThat(all.rulesTopic()).isEqualTo("r");
    assertThat(all.alertsTopic()).isEqualTo("al");
    assertThat(all.deadLetterTopic()).isEqualTo("dl");
    assertThat(all.parallelism()).isEqualTo(8);
    assertThat(all.lateness()).isEqualTo(Duration.ofSeconds(5));
    assertThat(all.idleness()).isEqualTo(Duration.ofSeconds(7));
    assertThat(all.exactlyOnce()).isTrue();
    assertThat(all.correlationLevels()).isEqualTo(4);
  }

  @Test
  void everyMistakeIsNamedAtOnce() {
    assertThatThrownBy(
            () ->
                DetectionJob.arguments(
                    ("--bootstrap k:9092 --parallelism two --paralelism 2 --correlation-levels 0"
                            + " --exactly-once yes --lateness-seconds")
                        .split(" ")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--parallelism: a whole number from 1 to 10000, not 'two'")
        .hasMessageContaining("--paralelism: unknown argument")
        .hasMessageContaining("--correlation-levels: a whole number from 1 to 16, not '0'")
        .hasMessageContaining("--exactly-once: true or false, not 'yes'")
        .hasMessageContaining("--lateness-seconds: needs a value");
    assertThatThrownBy(() -> DetectionJob.arguments(new String[0]))
        .hasMessageContaining("--bootstrap");
  }
}
