package dev.rampart.core.normalize;

import static dev.rampart.core.normalize.Ecs.*;
import static dev.rampart.core.normalize.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;

/**
 * Okta System Log events ({@code uuid}, {@code published}, {@code eventType}, {@code actor}), as
 * the System Log API and log streams give them. Native names stay (Sigma's Okta rules use {@code
 * eventType}, {@code displayMessage}, {@code outcome.result}...); ECS is added: {@code
 * event.action} (the event type), {@code event.id}, {@code user.name} (the actor's login), {@code
 * source.ip}, {@code user_agent.original}, {@code event.outcome}. Log type {@code okta/system}.
 */
public final class OktaNormalizer implements Normalizer {
  private static final int UUID = FieldNames.id("uuid");
  private static final int PUBLISHED = FieldNames.id("published");
  private static final int EVENT_TYPE = FieldNames.id("eventType");
  private static final int ACTOR_ID = FieldNames.id("actor.id");
  private static final int ACTOR_LOGIN = FieldNames.id("actor.alternateId");
  private static final int ACTOR_NAME = FieldNames.id("actor.displayName");
  private static final int CLIENT_IP = FieldNames.id("client.ipAddress");
  private static final int USER_AGENT = FieldNames.id("client.userAgent.rawUserAgent");
  private static final int RESULT = FieldNames.id("outcome.result");
  private static final int COUNTRY = FieldNames.id("client.geographicalContext.country");
  private static final int ECS_COUNTRY = FieldNames.id("source.geo.country_name");

  private static final int ECS_FULL_NAME = FieldNames.id("user.full_name");

  @Override
  public String name() {
    return "okta";
  }

  @Override
  public String description() {
    return "Okta System Log events to ECS (okta/system)";
  }

  @Override
  public boolean normalize(Event e) {
    if (e.indexOf(EVENT_TYPE) < 0
        || e.indexOf(UUID) < 0
        || e.indexOf(PUBLISHED) < 0
        || (e.indexOf(ACTOR_ID) < 0 && e.indexOf(ACTOR_LOGIN) < 0)) {
      return false;
    }
    time(e, text(e, PUBLISHED));
    e.putStringIfAbsent(ECS_EVENT_MODULE, "okta");
    e.putStringIfAbsent(ECS_EVENT_DATASET, "okta.system");
    String type = text(e, EVENT_TYPE);
    put(e, ECS_EVENT_ACTION, type);
    put(e, ECS_EVENT_ID, text(e, UUID));
    put(e, ECS_USER_NAME, text(e, ACTOR_LOGIN));
    put(e, ECS_FULL_NAME, text(e, ACTOR_NAME));
    address(e, ECS_SOURCE_IP, text(e, CLIENT_IP));
    put(e, ECS_USER_AGENT, text(e, USER_AGENT));
    put(e, ECS_COUNTRY, text(e, COUNTRY));
    // SUCCESS, ALLOW; FAILURE, DENY; SKIPPED, CHALLENGE and UNKNOWN say nothing either way
    outcome(e, text(e, RESULT));
    String t = type == null ? "" : type;
    if (t.startsWith("user.session.start") || t.startsWith("user.authentication.")) {
      categorize(e, "authentication", "start", null);
    } else if (t.startsWith("user.account.")
        || t.startsWith("user.lifecycle.")
        || t.startsWith("group.user_membership.")
        || t.startsWith("user.mfa.factor.")) {
      categorize(e, "iam", "change", null);
    } else if (t.startsWith("policy.") || t.startsWith("system.")) {
      categorize(e, "configuration", "change", null);
    }
    e.source(e.source().withLogType("okta/system"));
    return true;
  }
}
