package dev.rampart.cli.prevention;

import dev.rampart.cases.CaseStore;
import dev.rampart.cli.DataOptions;
import dev.rampart.prevention.identity.Directory;

/** The preventive-controls state of a data folder: the case database's prevention tables. */
final class Prevention implements AutoCloseable {
  final CaseStore cases;
  final Directory directory;

  private Prevention(CaseStore cases) {
    this.cases = cases;
    this.directory = Directory.open(cases.db());
  }

  static Prevention open(DataOptions data) {
    return new Prevention(CaseStore.open("jdbc:sqlite:" + data.dataDir().resolve("cases.db")));
  }

  static String json(String s) {
    if (s == null) {
      return "null";
    }
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws Exception {
    cases.close();
  }
}
