package dev.rampart.cases.exception;

/**
 * An analyst's decision to silence a rule for a host (or a user, or everywhere), for a while and
 * for a reason. Exceptions live apart from the rules, so rule packs update without losing them.
 *
 * @param host null: any host
 * @param user null: any user
 * @param hits alerts it silenced so far
 */
public record AlertException(
    String id,
    String ruleId,
    String host,
    String user,
    String reason,
    String createdBy,
    long createdAt,
    long expiresAt,
    Long revokedAt,
    String revokedBy,
    long hits) {

  /** Whether it silences an alert of {@code ruleId} about {@code host} and {@code user} now. */
  public boolean covers(String ruleId, String host, String user, long now) {
    return revokedAt == null
        && now < expiresAt
        && this.ruleId.equals(ruleId)
        && (this.host == null || this.host.equalsIgnoreCase(host == null ? "" : host))
        && (this.user == null || this.user.equalsIgnoreCase(user == null ? "" : user));
  }
}
