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
    Path base) {

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
