package dev.rampart.core.normalize;

import static dev.rampart.core.normalize.Ecs.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import dev.rampart.core.event.Timestamps;

/**
 * AWS CloudTrail records ({@code eventVersion}, {@code eventSource}, {@code eventName}; whole files
 * of {@code {"Records": [...]}} are unwrapped by the JSON reader): CloudTrail's names stay (Sigma's
 * AWS rules use {@code eventSource}, {@code eventName}, {@code userIdentity.type}...), ECS is
 * added: {@code @timestamp} from {@code eventTime}, {@code event.action}, {@code event.provider},
 * {@code event.outcome} (failure when {@code errorCode} is set), {@code cloud.*}, {@code
 * source.ip}, {@code user_agent.original}, {@code user.name} and {@code user.id}. Log type {@code
 * aws/cloudtrail}.
 */
public final class CloudTrailNormalizer implements Normalizer {
  private static final int EVENT_VERSION = FieldNames.id("eventVersion");
  private static final int EVENT_SOURCE = FieldNames.id("eventSource");
  private static final int EVENT_NAME = FieldNames.id("eventName");
  private static final int EVENT_TIME = FieldNames.id("eventTime");
  private static final int AWS_REGION = FieldNames.id("awsRegion");
  private static final int SOURCE_IP_ADDRESS = FieldNames.id("sourceIPAddress");
  private static final int USER_AGENT = FieldNames.id("userAgent");
  private static final int ERROR_CODE = FieldNames.id("errorCode");
  private static final int ERROR_MESSAGE = FieldNames.id("errorMessage");
  private static final int ACCOUNT = FieldNames.id("recipientAccountId");
  private static final int USER_NAME = FieldNames.id("userIdentity.userName");
  private static final int ISSUER_NAME =
      FieldNames.id("userIdentity.sessionContext.sessionIssuer.userName");
  private static final int PRINCIPAL = FieldNames.id("userIdentity.principalId");
  private static final int ARN = FieldNames.id("userIdentity.arn");
  private static final int EVENT_ID = FieldNames.id("eventID");
  private static final int LOGIN_RESULT = FieldNames.id("responseElements.ConsoleLogin");

  private static final int ECS_CLOUD_REGION = FieldNames.id("cloud.region");
  private static final int ECS_USER_ID = FieldNames.id("user.id");
  private static final int ECS_ERROR_CODE = FieldNames.id("error.code");
  private static final int ECS_ERROR_MESSAGE = FieldNames.id("error.message");

  @Override
  public String name() {
    return "cloudtrail";
  }

  @Override
  public String description() {
    return "AWS CloudTrail records (and whole {\"Records\": [...]} files) to ECS (aws/cloudtrail)";
  }

  @Override
  public boolean normalize(Event e) {
    if (e.indexOf(EVENT_SOURCE) < 0 || e.indexOf(EVENT_NAME) < 0 || e.indexOf(EVENT_VERSION) < 0) {
      return false;
    }
    String time = text(e, EVENT_TIME);
    long ts = time == null ? Timestamps.UNSET : Timestamps.parse(time);
    if (ts != Timestamps.UNSET && !e.hasTimestamp()) {
      e.timestamp(ts);
    }
    copy(e, EVENT_SOURCE, Fields.ECS_EVENT_PROVIDER);
    copy(e, EVENT_NAME, Fields.ECS_EVENT_ACTION);
    copy(e, EVENT_ID, Fields.ECS_EVENT_ID);
    e.putStringIfAbsent(Fields.ECS_EVENT_MODULE, "aws");
    e.putStringIfAbsent(Fields.ECS_EVENT_DATASET, "aws.cloudtrail");
    e.putStringIfAbsent(Fields.ECS_CLOUD_PROVIDER, "aws");
    copy(e, AWS_REGION, ECS_CLOUD_REGION);
    copy(e, ACCOUNT, Fields.ECS_CLOUD_ACCOUNT);
    // sourceIPAddress is an address, or a service name when AWS acted itself
    int src = e.indexOf(SOURCE_IP_ADDRESS);
    if (src >= 0 && e.indexOf(Fields.ECS_SOURCE_IP) < 0) {
      ip(e, SOURCE_IP_ADDRESS, Fields.ECS_SOURCE_IP);
      if (e.indexOf(Fields.ECS_SOURCE_IP) < 0) {
        copy(e, SOURCE_IP_ADDRESS, Fields.ECS_SOURCE_DOMAIN);
      }
    }
    copy(e, USER_AGENT, Fields.ECS_USER_AGENT);
    copy(e, USER_NAME, Fields.ECS_USER_NAME);
    copy(e, ISSUER_NAME, Fields.ECS_USER_NAME);
    if (e.indexOf(Fields.ECS_USER_NAME) < 0) {
      String arn = text(e, ARN);
      if (arn != null && arn.contains("/")) {
        e.addString(Fields.ECS_USER_NAME, arn.substring(arn.lastIndexOf('/') + 1));
      }
    }
    copy(e, PRINCIPAL, ECS_USER_ID);
    copy(e, ERROR_CODE, ECS_ERROR_CODE);
    copy(e, ERROR_MESSAGE, ECS_ERROR_MESSAGE);
    String login = text(e, LOGIN_RESULT);
    if (e.indexOf(ERROR_CODE) >= 0 || "Failure".equals(login)) {
      e.putStringIfAbsent(Fields.ECS_EVENT_OUTCOME, "failure");
    } else {
      e.putStringIfAbsent(Fields.ECS_EVENT_OUTCOME, "success");
    }
    String name = text(e, EVENT_NAME);
    if ("ConsoleLogin".equals(name)) {
      categorize(e, "authentication", "start", null);
    } else if (name != null && (name.startsWith("Create") || name.startsWith("Put"))) {
      categorize(e, "configuration", "creation", null);
    } else if (name != null && name.startsWith("Delete")) {
      categorize(e, "configuration", "deletion", null);
    } else {
      categorize(e, "configuration", "info", null);
    }
    e.source(e.source().withLogType("aws/cloudtrail"));
    return true;
  }
}
