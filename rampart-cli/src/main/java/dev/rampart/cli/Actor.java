package dev.rampart.cli;

/**
 * Who the audit trail names for what the command line changes: {@code cli:} and the login user
 * ({@code cli:unknown} without one). The prefix keeps a change made on the server's machine, past
 * Rampart's sign-in, apart from one by a Rampart user of the same name.
 */
public final class Actor {
  private Actor() {}

  public static String name() {
    return "cli:" + login();
  }

  /** The login user ({@code unknown} without one): whose saved searches are "mine". */
  public static String login() {
    String user = System.getenv("USER");
    return user == null || user.isBlank() ? "unknown" : user;
  }
}
