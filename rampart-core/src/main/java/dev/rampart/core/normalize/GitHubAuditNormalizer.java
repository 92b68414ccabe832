package dev.rampart.core.normalize;

import static dev.rampart.core.normalize.Ecs.*;
import static dev.rampart.core.normalize.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Kind;

/**
 * GitHub organisation and enterprise audit log entries, as audit log streaming and the REST API
 * give them ({@code action}, {@code actor}, {@code _document_id}, {@code created_at} in epoch
 * milliseconds). Native names stay (Sigma's GitHub rules match {@code action}); ECS is added:
 * {@code event.action}, {@code user.name} (the actor), {@code user.target.name}, {@code source.ip},
 * {@code organization.name}. Log type {@code github/audit}.
 */
public final class GitHubAuditNormalizer implements Normalizer {
  private static final int ACTION = FieldNames.id("action");
  private static final int ACTOR = FieldNames.id("actor");
  private static final int DOCUMENT_ID = FieldNames.id("_document_id");
  private static final int CREATED_AT = FieldNames.id("created_at");
  private static final int ORG = FieldNames.id("org");
  private static final int BUSINESS = FieldNames.id("business");
  private static final int USER = FieldNames.id("user");
  private static final int ACTOR_IP = FieldNames.id("actor_ip");

  private static final int ECS_TARGET = FieldNames.id("user.target.name");
  private static final int ECS_ORGANIZATION = FieldNames.id("organization.name");

  @Override
  public String name() {
    return "github-audit";
  }

  @Override
  public String description() {
    return "GitHub audit log entries (streaming or REST API) to ECS (github/audit)";
  }

  @Override
  public boolean normalize(Event e) {
    if (e.indexOf(ACTION) < 0 || e.indexOf(ACTOR) < 0) {
      return false;
    }
    // action and actor are common words: an id of GitHub's, or a time with an org, settles it
    if (e.indexOf(DOCUMENT_ID) < 0
        && (e.indexOf(CREATED_AT) < 0 || (e.indexOf(ORG) < 0 && e.indexOf(BUSINESS) < 0))) {
      return false;
    }
    int created = e.indexOf(CREATED_AT);
    if (created >= 0 && !e.hasTimestamp()) {
      if (e.kind(created) == Kind.LONG) {
        e.timestamp(TimestampNormalizer.epochNumber(e.longValue(created)));
      } else {
        time(e, e.text(created));
      }
    }
    e.putStringIfAbsent(ECS_EVENT_MODULE, "github");
    e.putStringIfAbsent(ECS_EVENT_DATASET, "github.audit");
    put(e, ECS_EVENT_ACTION, text(e, ACTION));
    put(e, ECS_EVENT_ID, text(e, DOCUMENT_ID));
    put(e, ECS_USER_NAME, text(e, ACTOR));
    put(e, ECS_TARGET, text(e, USER));
    put(e, ECS_ORGANIZATION, first(e, ORG, BUSINESS));
    address(e, ECS_SOURCE_IP, text(e, ACTOR_IP));
    e.source(e.source().withLogType("github/audit"));
    return true;
  }
}
