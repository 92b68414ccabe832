package dev.rampart.core.normalize;

import static dev.rampart.core.normalize.Ecs.*;
import static dev.rampart.core.normalize.Fields.*;

import dev.rampart.core.event.Event;
import dev.rampart.core.event.FieldNames;
import java.util.Locale;

/**
 * Microsoft Entra ID (Azure AD) sign-in and audit logs and the Azure activity log, in both shapes
 * they leave Azure in: the Azure Monitor export (diagnostic settings to Event Hubs or storage:
 * {@code time}, {@code operationName}, {@code category}, {@code properties}; whole {@code
 * {"records": [...]}} files are unwrapped by the JSON reader) and Log Analytics / Sentinel rows
 * ({@code Type: SigninLogs | AuditLogs | AzureActivity}, {@code TimeGenerated}, dynamic columns as
 * JSON text, which are expanded beside the text: {@code DeviceDetail.trustType}).
 *
 * <p>Native names stay (Sigma's Azure rules use both shapes' names; the log source mapping reads
 * either); ECS is added: {@code event.action} (the operation, stripped: Entra writes some with a
 * trailing space), {@code event.outcome}, {@code user.name}, {@code source.ip}, {@code
 * user_agent.original}, {@code cloud.*}, categories. Log types {@code azure/signinlogs}, {@code
 * azure/auditlogs}, {@code azure/activitylogs}, and {@code azure/<category>} for other resource
 * logs.
 */
public final class AzureNormalizer implements Normalizer {
  // Log Analytics
  private static final int TYPE = FieldNames.id("Type");
  private static final int TIME_GENERATED = FieldNames.id("TimeGenerated");
  private static final int LA_OPERATION = FieldNames.id("OperationName");
  private static final int LA_OPERATION_VALUE = FieldNames.id("OperationNameValue");
  private static final int LA_ACTIVITY = FieldNames.id("ActivityDisplayName");
  private static final int LA_RESULT = FieldNames.id("Result");
  private static final int LA_RESULT_TYPE = FieldNames.id("ResultType");
  private static final int LA_UPN = FieldNames.id("UserPrincipalName");
  private static final int LA_IP = FieldNames.id("IPAddress");
  private static final int LA_CALLER_IP = FieldNames.id("CallerIpAddress");
  private static final int LA_CALLER = FieldNames.id("Caller");
  private static final int LA_USER_AGENT = FieldNames.id("UserAgent");
  private static final int LA_STATUS = FieldNames.id("Status");
  private static final int LA_ACTIVITY_STATUS = FieldNames.id("ActivityStatusValue");
  private static final int LA_OPERATION_TYPE = FieldNames.id("AADOperationType");
  private static final int LA_SUBSCRIPTION = FieldNames.id("SubscriptionId");
  private static final int LA_TENANT = FieldNames.id("AADTenantId");
  private static final int LA_ID = FieldNames.id("Id");
  private static final int LA_LOGGED_BY = FieldNames.id("LoggedByService");
  private static final int[] LA_JSON_COLUMNS = {
    FieldNames.id("InitiatedBy"),
    LA_STATUS,
    FieldNames.id("DeviceDetail"),
    FieldNames.id("LocationDetails"),
    FieldNames.id("Authorization"),
    FieldNames.id("Claims"),
    FieldNames.id("Properties"),
  };
  private static final int LA_INITIATOR_UPN = FieldNames.id("InitiatedBy.user.userPrincipalName");
  private static final int LA_INITIATOR_IP = FieldNames.id("InitiatedBy.user.ipAddress");
  private static final int LA_INITIATOR_APP = FieldNames.id("InitiatedBy.app.displayName");

  // Azure Monitor export
  private static final int TIME = FieldNames.id("time");
  private static final int OPERATION = FieldNames.id("operationName");
  private static final int CATEGORY = FieldNames.id("category");
  private static final int RESOURCE_ID = FieldNames.id("resourceId");
  private static final int TENANT_ID = FieldNames.id("tenantId");
  private static final int RESULT_TYPE = FieldNames.id("resultType");
  private static final int CALLER_IP = FieldNames.id("callerIpAddress");
  private static final int P_UPN = FieldNames.id("properties.userPrincipalName");
  private static final int P_IP = FieldNames.id("properties.ipAddress");
  private static final int P_USER_AGENT = FieldNames.id("properties.userAgent");
  private static final int P_ERROR_CODE = FieldNames.id("properties.status.errorCode");
  private static final int P_RESULT = FieldNames.id("properties.result");
  private static final int P_ACTIVITY = FieldNames.id("properties.activityDisplayName");
  private static final int P_OPERATION_TYPE = FieldNames.id("properties.operationType");
  private static final int P_INITIATOR_UPN =
      FieldNames.id("properties.initiatedBy.user.userPrincipalName");
  private static final int P_INITIATOR_IP = FieldNames.id("properties.initiatedBy.user.ipAddress");
  private static final int P_INITIATOR_APP =
      FieldNames.id("properties.initiatedBy.app.displayName");
  private static final int CLAIM_NAME = FieldNames.id("identity.claims.name");
  private static final int CLAIM_UPN =
      FieldNames.id("identity.claims.http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn");
  private static final int CORRELATION_ID = FieldNames.id("correlationId");
  private static final int P_COUNTRY = FieldNames.id("properties.location.countryOrRegion");
  private static final int LA_COUNTRY = FieldNames.id("LocationDetails.countryOrRegion");
  private static final int LOCATION = FieldNames.id("location"); // a sign-in's: its country
  private static final int ECS_COUNTRY = FieldNames.id("source.geo.country_iso_code");

  @Override
  public String name() {
    return "azure";
  }

  @Override
  public String description() {
    return "Entra ID sign-in and audit logs, the Azure activity log (Azure Monitor export or Log"
        + " Analytics rows) to ECS (azure/signinlogs, azure/auditlogs, azure/activitylogs)";
  }

  @Override
  public boolean normalize(Event e) {
    String service;
    boolean analytics;
    if (e.indexOf(TIME_GENERATED) >= 0 && (service = analyticsService(e)) != null) {
      analytics = true;
      time(e, text(e, TIME_GENERATED));
    } else if (e.indexOf(TIME) >= 0
        && e.indexOf(OPERATION) >= 0
        && e.indexOf(CATEGORY) >= 0
        && (e.indexOf(RESOURCE_ID) >= 0 || e.indexOf(TENANT_ID) >= 0)) {
      analytics = false;
      service = exportService(text(e, CATEGORY));
      time(e, text(e, TIME));
    } else {
      return false;
    }
    if (analytics) {
      for (int column : LA_JSON_COLUMNS) {
        expandJsonText(e, column);
      }
    }
    e.putStringIfAbsent(ECS_EVENT_MODULE, "azure");
    e.putStringIfAbsent(ECS_EVENT_DATASET, "azure." + service);
    e.putStringIfAbsent(ECS_CLOUD_PROVIDER, "azure");
    put(e, ECS_EVENT_ID, first(e, LA_ID, CORRELATION_ID));
    put(e, ECS_USER_AGENT, first(e, LA_USER_AGENT, P_USER_AGENT));
    switch (service) {
      case "signinlogs" -> {
        put(e, ECS_EVENT_ACTION, first(e, LA_OPERATION, OPERATION));
        put(e, ECS_USER_NAME, first(e, LA_UPN, P_UPN));
        address(e, ECS_SOURCE_IP, first(e, LA_IP, P_IP, CALLER_IP));
        // ResultType 0 is a sign-in that succeeded; any other number names why it did not
        String result = first(e, LA_RESULT_TYPE, P_ERROR_CODE, RESULT_TYPE);
        if (result != null) {
          e.putStringIfAbsent(
              ECS_EVENT_OUTCOME, result.strip().equals("0") ? "success" : "failure");
        }
        put(e, ECS_CLOUD_ACCOUNT, first(e, LA_TENANT, TENANT_ID));
        put(
            e,
            ECS_COUNTRY,
            first(e, LA_COUNTRY, P_COUNTRY, LOCATION)); // Entra writes ISO 3166 codes
        categorize(e, "authentication", "start", null);
      }
      case "auditlogs" -> {
        put(e, ECS_EVENT_ACTION, first(e, LA_OPERATION, OPERATION, LA_ACTIVITY, P_ACTIVITY));
        put(e, ECS_USER_NAME, first(e, LA_INITIATOR_UPN, P_INITIATOR_UPN));
        put(e, ECS_USER_NAME, first(e, LA_INITIATOR_APP, P_INITIATOR_APP));
        address(e, ECS_SOURCE_IP, first(e, LA_INITIATOR_IP, P_INITIATOR_IP));
        outcome(e, first(e, LA_RESULT, P_RESULT));
        put(e, ECS_CLOUD_ACCOUNT, first(e, LA_TENANT, TENANT_ID));
        String op = first(e, LA_OPERATION_TYPE, P_OPERATION_TYPE);
        String kind = op == null ? "" : op.strip().toLowerCase(Locale.ROOT);
        categorize(
            e,
            "iam",
            switch (kind) {
              case "add", "assign" -> "creation";
              case "delete", "unassign" -> "deletion";
              default -> "change";
            },
            null);
      }
      case "activitylogs" -> {
        String op = first(e, LA_OPERATION_VALUE, OPERATION);
        put(e, ECS_EVENT_ACTION, op);
        put(e, ECS_USER_NAME, first(e, LA_CALLER, CLAIM_UPN, CLAIM_NAME));
        address(e, ECS_SOURCE_IP, first(e, LA_CALLER_IP, CALLER_IP));
        outcome(e, first(e, LA_ACTIVITY_STATUS, RESULT_TYPE));
        put(e, ECS_CLOUD_ACCOUNT, first(e, LA_SUBSCRIPTION));
        put(e, ECS_CLOUD_ACCOUNT, subscription(text(e, RESOURCE_ID)));
        String verb = op == null ? "" : op.substring(op.lastIndexOf('/') + 1);
        categorize(
            e,
            "configuration",
            switch (verb.toUpperCase(Locale.ROOT)) {
              case "READ" -> "access";
              case "DELETE" -> "deletion";
              default -> "change";
            },
            null);
      }
      default -> {
        put(e, ECS_EVENT_ACTION, first(e, OPERATION, LA_OPERATION));
        address(e, ECS_SOURCE_IP, first(e, CALLER_IP, LA_CALLER_IP));
        outcome(e, first(e, RESULT_TYPE));
        put(e, ECS_CLOUD_ACCOUNT, subscription(text(e, RESOURCE_ID)));
      }
    }
    e.source(e.source().withLogType("azure/" + service));
    return true;
  }

  /** The service of a Log Analytics table, or null for tables that are not these logs. */
  private static String analyticsService(Event e) {
    String type = text(e, TYPE);
    if (type == null) {
      type = "";
    }
    return switch (type) {
      case "SigninLogs",
          "AADNonInteractiveUserSignInLogs",
          "AADServicePrincipalSignInLogs",
          "AADManagedIdentitySignInLogs" ->
          "signinlogs";
      case "AuditLogs" -> "auditlogs";
      case "AzureActivity" -> "activitylogs";
      // a query that projects its own Type column (the OTRF Golden SAML rows say Application)
      // still leaves an audit row's own columns, which identify it
      default ->
          e.indexOf(LA_LOGGED_BY) >= 0
                  && e.indexOf(LA_ACTIVITY) >= 0
                  && e.indexOf(LA_OPERATION) >= 0
              ? "auditlogs"
              : null;
    };
  }

  /** The service of an exported record's category; other resource logs keep their category. */
  private static String exportService(String category) {
    String c = category == null ? "" : category.strip();
    return switch (c.toLowerCase(Locale.ROOT)) {
      case "signinlogs",
          "noninteractiveusersigninlogs",
          "serviceprincipalsigninlogs",
          "managedidentitysigninlogs" ->
          "signinlogs";
      case "auditlogs" -> "auditlogs";
      case "administrative",
          "security",
          "servicehealth",
          "resourcehealth",
          "alert",
          "autoscale",
          "recommendation",
          "policy" ->
          "activitylogs";
      default -> c.isEmpty() ? "resourcelogs" : c.toLowerCase(Locale.ROOT).replace(' ', '-');
    };
  }

  /** The subscription of a resource id {@code /subscriptions/<id>/...}, or null. */
  static String subscription(String resourceId) {
    if (resourceId == null) {
      return null;
    }
    String lower = resourceId.toLowerCase(Locale.ROOT);
    int at = lower.indexOf("/subscriptions/");
    if (at < 0) {
      return null;
    }
    int start = at + "/subscriptions/".length();
    int end = resourceId.indexOf('/', start);
    return end < 0 ? resourceId.substring(start) : resourceId.substring(start, end);
  }
}
