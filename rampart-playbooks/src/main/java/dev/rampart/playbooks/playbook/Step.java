package dev.rampart.playbooks.playbook;

import java.time.Duration;
import java.util.List;

/** One action of a playbook. Text fields are {@link Template}s filled from the trigger. */
public sealed interface Step {
  /** A name for run records (defaults to the action and its position). */
  String name();

  /** The action's keyword in YAML. */
  String action();

  /** An e-mail over the configured SMTP server. */
  record Email(String name, List<Template> to, Template subject, Template body) implements Step {
    public String action() {
      return "email";
    }
  }

  /**
   * A JSON POST, HMAC-SHA256 signed when a secret is given, retried with exponential backoff on
   * network errors, 429 and 5xx, with the same {@code Idempotency-Key} on every attempt.
   *
   * @param secret the HMAC key, resolved from {@code secret_env}/{@code secret_file} at load; null
   *     when unsigned
   */
  record Webhook(
      String name, String url, String secret, int retries, Duration backoff, Duration timeout)
      implements Step {
    public String action() {
      return "webhook";
    }

    @Override
    public String toString() {
      // The secret never reaches logs or run records.
      return "Webhook[" + name + ", " + url + ", retries=" + retries + "]";
    }
  }

  /** A message to a Slack-compatible incoming webhook ({@code {"text": ...}}). */
  record Slack(String name, String url, Template text, int retries, Duration backoff)
      implements Step {
    public String action() {
      return "slack";
    }
  }

  /** A message to a Microsoft Teams incoming webhook (a MessageCard). */
  record Teams(
      String name, String url, Template title, Template text, int retries, Duration backoff)
      implements Step {
    public String action() {
      return "teams";
    }
  }

  /** Adds an indicator (an IP, domain, hash...) to a named blocklist file, once. */
  record Blocklist(String name, String list, Template value) implements Step {
    public String action() {
      return "blocklist";
    }
  }

  /**
   * Orders a response action on a host agent (by name or id, templated: {@code {{alert.host}}}),
   * with templated arguments; the agent runs it only if its own allow-list permits.
   */
  record AgentAction(
      String name,
      Template agent,
      String command,
      java.util.Map<String, Template> args,
      boolean dryRun,
      Duration undoAfter)
      implements Step {
    public String action() {
      return "agent";
    }
  }

  /** Runs a local program (no shell) with templated arguments; only when the config allows it. */
  record Command(String name, List<Template> argv, Duration timeout) implements Step {
    public String action() {
      return "command";
    }
  }
}
