package dev.rampart.core.normalize;

import static dev.rampart.core.normalize.Ecs.*;
import static dev.rampart.core.normalize.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;

/**
 * Microsoft 365 unified audit log records, as the Office 365 Management Activity API gives them
 * ({@code CreationTime}, {@code Operation}, {@code Workload}, {@code RecordType}) or as Log
 * Analytics / Sentinel rows ({@code Type: OfficeActivity}, {@code OfficeWorkload}). Native names
 * stay (Sigma's M365 rules use {@code Operation}, {@code Workload}, {@code ResultStatus}...); ECS
 * is added: {@code event.action} (the operation), {@code event.provider} (the workload: Exchange,
 * SharePoint, AzureActiveDirectory, SecurityComplianceCenter...), {@code user.name}, {@code
 * source.ip} (the client address, whose port M365 often appends), {@code event.outcome}, {@code
 * cloud.account.id} (the organisation). Log type {@code m365/audit}.
 */
public final class M365Normalizer implements Normalizer {
  private static final int OPERATION = FieldNames.id("Operation");
  private static final int WORKLOAD = FieldNames.id("Workload");
  private static final int OFFICE_WORKLOAD = FieldNames.id("OfficeWorkload");
  private static final int RECORD_TYPE = FieldNames.id("RecordType");
  private static final int CREATION_TIME = FieldNames.id("CreationTime");
  private static final int ORGANIZATION_ID = FieldNames.id("OrganizationId");
  private static final int TYPE = FieldNames.id("Type");
  private static final int TIME_GENERATED = FieldNames.id("TimeGenerated");
  private static final int USER_ID = FieldNames.id("UserId");
  private static final int CLIENT_IP = FieldNames.id("ClientIP");
  private static final int CLIENT_IP_ADDRESS = FieldNames.id("ClientIPAddress");
  private static final int LA_CLIENT_IP = FieldNames.id("Client_IPAddress");
  private static final int ACTOR_IP = FieldNames.id("ActorIpAddress");
  private static final int RESULT_STATUS = FieldNames.id("ResultStatus");
  private static final int ID = FieldNames.id("Id");
  private static final int OFFICE_ID = FieldNames.id("OfficeId");

  @Override
  public String name() {
    return "m365";
  }

  @Override
  public String description() {
    return "Microsoft 365 unified audit log (Management Activity API or Log Analytics"
        + " OfficeActivity rows) to ECS (m365/audit)";
  }

  @Override
  public boolean normalize(Event e) {
    if (e.indexOf(OPERATION) < 0) {
      return false;
    }
    boolean api =
        e.indexOf(WORKLOAD) >= 0
            && e.indexOf(RECORD_TYPE) >= 0
            && (e.indexOf(CREATION_TIME) >= 0 || e.indexOf(ORGANIZATION_ID) >= 0);
    if (!api && !"OfficeActivity".equals(text(e, TYPE))) {
      return false;
    }
    // CreationTime carries no zone; the API documents it as UTC, which is how it parses
    time(e, first(e, CREATION_TIME, TIME_GENERATED));
    e.putStringIfAbsent(ECS_EVENT_MODULE, "m365");
    e.putStringIfAbsent(ECS_EVENT_DATASET, "m365.audit");
    String operation = text(e, OPERATION);
    put(e, ECS_EVENT_ACTION, operation);
    String workload = first(e, WORKLOAD, OFFICE_WORKLOAD);
    put(e, ECS_EVENT_PROVIDER, workload);
    put(e, ECS_EVENT_ID, first(e, ID, OFFICE_ID));
    put(e, ECS_USER_NAME, first(e, USER_ID));
    address(e, ECS_SOURCE_IP, first(e, CLIENT_IP, CLIENT_IP_ADDRESS, LA_CLIENT_IP, ACTOR_IP));
    outcome(e, first(e, RESULT_STATUS));
    put(e, ECS_CLOUD_ACCOUNT, first(e, ORGANIZATION_ID));
    String op = operation == null ? "" : operation.strip();
    if (op.equals("UserLoggedIn") || op.equals("UserLoginFailed")) {
      categorize(e, "authentication", "start", op.equals("UserLoginFailed") ? "failure" : null);
    } else if ("AzureActiveDirectory".equals(workload)) {
      categorize(e, "iam", "change", null);
    }
    e.source(e.source().withLogType("m365/audit"));
    return true;
  }
}
