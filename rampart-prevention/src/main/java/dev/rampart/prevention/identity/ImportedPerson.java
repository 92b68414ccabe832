package dev.rampart.prevention.identity;

import java.util.List;

/**
 * One person as an export file describes them, before merging into the directory.
 *
 * @param line where the record starts in its file (1-based), for reports
 * @param managerRef the manager as the file names them: an email, a login, an LDAP DN, an id
 * @param active false for disabled, suspended or deprovisioned accounts
 * @param accounts the person's account names (logins, sAMAccountName, user principal names)
 * @param groups group names (common names, not DNs)
 */
public record ImportedPerson(
    long line,
    String employeeId,
    String displayName,
    String email,
    String department,
    String title,
    String managerRef,
    boolean active,
    List<String> accounts,
    List<String> groups) {
  public ImportedPerson {
    accounts = List.copyOf(accounts);
    groups = List.copyOf(groups);
  }
}
