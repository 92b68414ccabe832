package dev.rampart.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rampart identities|training|reviews} end to end on a data folder: an HR export with a bad
 * row and a duplicate, phishing results, the risk score with its reasons, a review campaign from
 * start to the report of revoked access still present.
 */
class PreventionCliTest {
  @TempDir Path dir;

  @Test
  void identitiesTrainingAndAReviewFromTheCommandLine() throws Exception {
    String data = dir.resolve("data").toString();
    Path hr = dir.resolve("hr.csv");
    Files.writeString(
        hr,
        """
        Employee ID,Name,Email,Department,Manager,Login,Groups
        E1,Grace Hopper,grace@corp.example,IT,,ghopper,Domain Admins
        E2,Mateo Ruiz,mateo@corp.example,IT,grace@corp.example,mateo,sudo;IT Staff
        ,,,Sales,,,
        E2,Mateo Ruiz,MATEO@corp.example,IT,,mruiz,
        """);
    Run imp = Run.of("identities", "import", hr.toString(), "--data", data, "--json");
    assertThat(imp.code()).isEqualTo(ExitCodes.FINDINGS); // one row refused
    JsonNode j = new ObjectMapper().readTree(imp.out());
    assertThat(j.get("added").asInt()).isEqualTo(2);
    assertThat(j.get("merged").toString()).contains("hr.csv:5 merged into line 3");
    assertThat(j.get("problems").toString()).contains("hr.csv:4", "names nobody");

    Path phish = dir.resolve("phishing.csv");
    Files.writeString(
        phish,
        "User,Campaign,Sent,Clicked,Submitted,Reported\n"
            + "CORP\\mruiz,Invoice lure,"
            + java.time.Instant.now().minusSeconds(86_400)
            + ",yes,yes,no\n");
    Run t = Run.of("training", "import", phish.toString(), "--data", data);
    assertThat(t.code()).isZero();
    assertThat(t.out()).contains("phishing simulation, 1 rows, 1 stored");

    Run show = Run.of("identities", "show", "CORP\\mruiz", "--data", data);
    assertThat(show.code()).isZero();
    assertThat(show.out())
        .contains("Mateo Ruiz", "manager      Grace Hopper", "sudo (privileged)")
        .contains("risk         55 (high)", "submitted credentials");
    assertThat(Run.of("training", "status", "--data", data).out()).contains("IT", "100%");
    String month = java.time.Instant.now().minusSeconds(86_400).toString().substring(0, 7);
    assertThat(Run.of("training", "status", "--department", "it", "--data", data).out())
        .contains("(it)", month + "      1     100%");
    assertThat(Run.of("training", "status", "--department", "Legal", "--data", data).out())
        .doesNotContain("MONTH");

    Run start =
        Run.of(
            "reviews",
            "start",
            "--name",
            "Q1",
            "--due",
            "7d",
            "--data",
            data,
            "--fallback-reviewer",
            "grace@corp.example");
    assertThat(start.code()).isZero();
    assertThat(start.out()).contains("2 memberships to review");
    String campaign = start.out().split(" ")[1];
    Run items = Run.of("reviews", "status", campaign, "--data", data);
    String sudoItem =
        items.out().lines().filter(l -> l.contains("sudo")).findFirst().orElseThrow().split(" ")[0];
    assertThat(items.out()).contains("reviewer Grace Hopper");
    assertThat(Run.of("reviews", "decide", sudoItem, "revoke", "--data", data).out())
        .contains("Mateo Ruiz in sudo: revoke");
    Run twice = Run.of("reviews", "decide", sudoItem, "confirm", "--data", data);
    assertThat(twice.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(twice.err()).contains("decided already");
    Thread.sleep(5);
    Run.of("identities", "import", hr.toString(), "--data", data); // still in sudo
    Run report = Run.of("reviews", "report", "--data", data);
    assertThat(report.code()).isEqualTo(ExitCodes.FINDINGS);
    assertThat(report.out()).contains("Revoked but still present: 1", "Mateo Ruiz");
    assertThat(Run.of("identities", "list", "--privileged", "--csv", "--data", data).out())
        .contains("Grace Hopper,grace@corp.example,IT,true,Domain Admins");
  }
}
