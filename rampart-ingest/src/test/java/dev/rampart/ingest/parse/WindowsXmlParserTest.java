package dev.rampart.ingest.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rampart.core.event.Event;
import dev.rampart.core.io.Problems;
import dev.rampart.core.testing.Corpora;
import dev.rampart.evtx.Evtx;
import dev.rampart.evtx.EvtxEvents;
import dev.rampart.evtx.render.XmlRenderer;
import dev.rampart.ingest.parse.winxml.WindowsXmlParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Event XML, as forwarded by WEF or NXLog, gives the same fields as the EVTX file: every record of
 * the corpora's EVTX files is rendered as XML, parsed by {@link WindowsXmlParser}, and compared
 * field by field, in order, with the event the EVTX reader makes of the same record.
 */
class WindowsXmlParserTest {
  @Test
  void xmlOfEveryCorpusRecordGivesTheEvtxFields() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String dir : List.of("sigmahq-sigma/regression_data", "evtx-attack-samples")) {
      try (Stream<Path> walk = Files.walk(Corpora.require(dir))) {
        walk.filter(Evtx::isEvtx).sorted().forEach(files::add);
      }
    }
    WindowsXmlParser parser = new WindowsXmlParser();
    long records = 0;
    long differences = 0;
    List<String> examples = new ArrayList<>();
    for (Path f : files) {
      List<Event> fromEvtx = new ArrayList<>();
      List<String> xml = new ArrayList<>();
      Problems p = new Problems(10);
      EvtxEvents events = new EvtxEvents(f.toString(), p, (e, id, off) -> fromEvtx.add(e.copy()));
      Evtx.read(
          f,
          p,
          r -> {
            xml.add(XmlRenderer.render(r.root()));
            events.add(r);
          });
      events.flush();
      for (int i = 0; i < xml.size(); i++) {
        records++;
        Event e = new Event();
        ParseError error = parser.parse(xml.get(i), e);
        assertThat(error).as("%s #%d", f, i).isNull();
        // Field by field in order (names can repeat: System and EventData both have Version).
        List<String> want = fields(fromEvtx.get(i));
        List<String> got = fields(e);
        if (!want.equals(got)) {
          differences++;
          if (examples.size() < 10) {
            List<String> onlyEvtx = new ArrayList<>(want);
            onlyEvtx.removeAll(got);
            List<String> onlyXml = new ArrayList<>(got);
            onlyXml.removeAll(want);
            examples.add(f.getFileName() + " #" + i + ": evtx " + onlyEvtx + " xml " + onlyXml);
          }
        }
      }
    }
    System.out.printf(
        "Windows XML vs EVTX: %d records, %d with different fields%n", records, differences);
    examples.forEach(System.out::println);
    assertThat(records).isGreaterThan(7000);
    assertThat(differences).isZero();
  }

  /** name=text of every field, in order, without control characters (XML cannot carry them). */
  private static List<String> fields(Event e) {
    List<String> out = new ArrayList<>();
    for (int k = 0; k < e.size(); k++) {
      String t = e.text(k);
      if (e.name(k).equals("event.original")
          || t.indexOf('\uFFFD') >= 0
          || t.chars().anyMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r')) {
        continue;
      }
      out.add(e.name(k) + "=" + t);
    }
    return out;
  }
}
