package dev.rampart.playbooks.run;

import dev.rampart.playbooks.playbook.Settings;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One e-mail through the configured SMTP server (STARTTLS when offered, SMTPS when asked, 10 s
 * timeouts), for playbooks' e-mail steps and the platform's own notices such as access-review
 * reminders. Never throws for a mail that cannot go: the answer says why.
 */
public final class Mailer {
  /** What happened: sent or not, attempts made, and what to tell the user. */
  public record Sent(boolean ok, int attempts, String detail) {}

  private Mailer() {}

  public static Sent send(
      Settings.Smtp smtp, List<String> recipients, String subject, String body) {
    return send(smtp, recipients, subject, body, null);
  }

  /**
   * {@link #send(Settings.Smtp, List, String, String)} with an HTML version of {@code body} beside
   * it (multipart/alternative): mail programs show the HTML, and the text is there for those that
   * do not, and for filters and archives.
   *
   * @param html the same message as HTML, or null for text alone
   */
  public static Sent send(
      Settings.Smtp smtp, List<String> recipients, String subject, String body, String html) {
    if (smtp == null) {
      return new Sent(false, 0, "no SMTP server configured");
    }
    Properties p = new Properties();
    String proto = smtp.tls() ? "smtps" : "smtp";
    p.put("mail.transport.protocol", proto);
    p.put("mail." + proto + ".host", smtp.host());
    p.put("mail." + proto + ".port", Integer.toString(smtp.port()));
    p.put("mail." + proto + ".connectiontimeout", "10000");
    p.put("mail." + proto + ".timeout", "10000");
    p.put("mail." + proto + ".writetimeout", "10000");
    p.put("mail.smtp.starttls.enable", "true");
    if (smtp.username() != null) {
      p.put("mail." + proto + ".auth", "true");
    }
    Session session = Session.getInstance(p);
    try {
      MimeMessage m = new MimeMessage(session);
      m.setFrom(new InternetAddress(smtp.from()));
      List<InternetAddress> to = new ArrayList<>();
      for (String r : recipients) {
        to.add(new InternetAddress(r, true));
      }
      m.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
      m.setSubject(subject.replaceAll("[\\r\\n]+", " "), "UTF-8");
      if (html == null) {
        m.setText(body, "UTF-8");
      } else {
        MimeBodyPart text = new MimeBodyPart();
        text.setText(body, "UTF-8");
        MimeBodyPart rich = new MimeBodyPart();
        rich.setText(html, "UTF-8", "html");
        // the preferred version goes last (RFC 2046)
        m.setContent(new MimeMultipart("alternative", text, rich));
      }
      if (smtp.username() != null) {
        Transport.send(m, smtp.username(), smtp.password());
      } else {
        Transport.send(m);
      }
      return new Sent(true, 1, "sent to " + to.size() + " recipient(s) via " + smtp.host());
    } catch (MessagingException ex) {
      return new Sent(false, 1, "SMTP " + smtp.host() + ": " + ex.getMessage());
    }
  }
}
