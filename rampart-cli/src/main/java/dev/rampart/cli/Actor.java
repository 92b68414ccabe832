package dev.rampart.cli;

/** Who the audit trail names for what the command line changes: the login user, or "cli". */
public final class Actor {
  private Actor() {}

  public static String name() {
    String user = System.getenv("USER");
    return user == null || user.isBlank() ? "cli" : user;
  }
}
