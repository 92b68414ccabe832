package dev.rampart.sigma.coverage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading ATT&CK's STIX bundle: techniques, sub-techniques, tactics in matrix order, revoked and
 * deprecated ones, what is not ATT&CK's; the saved copy reads back the same; bad files say where.
 * The bundle is our own small one in MITRE's shape (Rampart ships no ATT&CK data).
 */
class AttackCatalogTest {
  @TempDir Path dir;

  static Path mini() throws Exception {
    return Path.of(
        AttackCatalogTest.class.getResource("/attack/mini-enterprise-attack.json").toURI());
  }

  @Test
  void readsTechniquesTacticsAndRevocations() throws Exception {
    AttackCatalog c = AttackCatalog.fromStix(mini());
    assertThat(c.title()).isEqualTo("Enterprise ATT&CK 17.1");
    assertThat(c.content().skipped()).isEqualTo(1); // the CAPEC pattern
    assertThat(c.tactics())
        .extracting(AttackCatalog.Tactic::tag)
        .containsExactly("initial_access", "execution", "defense_evasion", "credential_access");
    assertThat(c.tactics().get(3).name()).isEqualTo("Credential Access");
    assertThat(c.tactics().get(3).id()).isEqualTo("TA0006");
    assertThat(c.techniques()).hasSize(10);
    AttackCatalog.Technique lsass = c.technique("t1003.001");
    assertThat(lsass.name()).isEqualTo("LSASS Memory");
    assertThat(lsass.subTechnique()).isTrue();
    assertThat(lsass.tactics()).containsExactly("credential_access");
    assertThat(c.technique("T1086").revoked()).isTrue();
    assertThat(c.technique("T1086").revokedBy()).isEqualTo("T1059.001");
    assertThat(c.technique("T1064").deprecated()).isTrue();
    assertThat(c.technique("T1064").tactics()).containsExactly("execution", "defense_evasion");
    assertThat(c.technique("T9999")).isNull();
  }

  @Test
  void theSavedCopyReadsBackTheSame() throws Exception {
    AttackCatalog c = AttackCatalog.fromStix(mini());
    assertThat(AttackCatalog.load(dir)).isNull();
    c.write(AttackCatalog.file(dir));
    AttackCatalog back = AttackCatalog.load(dir);
    assertThat(back.content()).isEqualTo(c.content().withSkipped(0));
    assertThat(Files.size(AttackCatalog.file(dir))).isLessThan(Files.size(mini()));
  }

  @Test
  void badFilesSayWhatAndWhere() {
    assertThatThrownBy(() -> read("{\"type\": \"bundle\", \"objects\": [ {\"type\": }"))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("x.json:1:")
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> read("[1, 2]")).hasMessageContaining("not a STIX bundle");
    assertThatThrownBy(() -> read("{\"type\": \"bundle\"}"))
        .hasMessageContaining("no \"objects\" array")
        .hasMessageContaining("enterprise-attack.json");
    assertThatThrownBy(() -> read("{\"objects\": [{\"type\": \"malware\"}]}"))
        .hasMessageContaining("no ATT&CK technique among its 1 objects");
    assertThatThrownBy(() -> read("{\"objects\": [1]}")).hasMessageContaining("x.json:1");
  }

  static AttackCatalog read(String json) throws IOException {
    return AttackCatalog.fromStix(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "x.json");
  }
}
