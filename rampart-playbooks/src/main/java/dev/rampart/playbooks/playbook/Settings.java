package dev.rampart.playbooks.playbook;

import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * What playbooks may use on this server, from the server config's {@code response} section.
 *
 * @param smtp the mail server (null: e-mail steps are refused at load)
 * @param allowCommands whether {@code command} steps are allowed (off by default)
 * @param blocklists the folder of blocklist files ({@code NAME.txt})
 * @param secrets resolves {@code secret_env} names (the environment, in production)
 * @param base the folder relative {@code secret_file} paths are taken from
 */
public record Settings(
    Smtp smtp,
    boolean allowCommands,
    Path blocklists,
    Function<String, String> secrets,
    Path base,
    AgentOrders agents,
    String consoleUrl) {

  /**
   * Orders response actions to host agents ({@code agent} steps); null when the server has no
   * agents' port, and such steps are refused at load.
   */
  public interface AgentOrders {
    /** The actions agents know. */
    java.util.Set<String> actions();

    /**
     * Orders {@code action} on the agent called or numbered {@code agent}; returns the order's id.
     *
     * @throws Exception naming what is wrong (no such agent, two agents of that name, bad action)
     */
    String order(
        String agent,
        String action,
        Map<String, String> args,
        boolean dryRun,
        java.time.Duration undoAfter,
        String actor)
        throws Exception;
  }

  public Settings(
      Smtp smtp,
      boolean allowCommands,
      Path blocklists,
      Function<String, String> secrets,
      Path base) {
    this(smtp, allowCommands, blocklists, secrets, base, null, null);
  }

  /** These settings with agent steps ordered through {@code agents}. */
  public Settings withAgents(AgentOrders agents) {
    return new Settings(smtp, allowCommands, blocklists, secrets, base, agents, consoleUrl);
  }

  /**
   * These settings with the console's address ({@code https://rampart.example.org}), which makes
   * {@code {{incident.url}}} a link to the incident's page.
   */
  public Settings withConsole(String url) {
    return new Settings(smtp, allowCommands, blocklists, secrets, base, agents, url);
  }

  /**
   * An SMTP server. {@code password} comes from an environment variable or file, never the YAML.
   *
   * @param tls SMTPS from the first byte; otherwise STARTTLS is used when the server offers it
   */
  public record Smtp(
      String host, int port, String from, String username, String password, boolean tls) {
    @Override
    public String toString() {
      return "Smtp[" + host + ":" + port + ", from " + from + "]";
    }
  }

  public static Settings of(Smtp smtp, boolean allowCommands, Path blocklists, Path base) {
    Map<String, String> env = System.getenv();
    return new Settings(smtp, allowCommands, blocklists, env::get, base);
  }
}
