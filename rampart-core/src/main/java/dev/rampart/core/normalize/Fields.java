package dev.rampart.core.normalize;

import dev.rampart.core.event.FieldNames;

/** Field ids used by the normalizers, interned once. */
final class Fields {
  private Fields() {}

  // Windows native names (what Sigma's Windows rules use).
  static final int EVENT_ID = FieldNames.id("EventID");
  static final int CHANNEL = FieldNames.id("Channel");
  static final int COMPUTER = FieldNames.id("Computer");
  static final int PROVIDER_NAME = FieldNames.id("Provider_Name");
  static final int EVENT_RECORD_ID = FieldNames.id("EventRecordID");
  static final int TIME_CREATED = FieldNames.id("TimeCreated_SystemTime");
  static final int HOSTNAME = FieldNames.id("Hostname");
  static final int SOURCE_NAME = FieldNames.id("SourceName");
  static final int OTRF_TIME_CREATED = FieldNames.id("TimeCreated");
  static final int IMAGE = FieldNames.id("Image");
  static final int COMMAND_LINE = FieldNames.id("CommandLine");
  static final int PROCESS_ID = FieldNames.id("ProcessId");
  static final int PARENT_IMAGE = FieldNames.id("ParentImage");
  static final int PARENT_COMMAND_LINE = FieldNames.id("ParentCommandLine");
  static final int PARENT_PROCESS_ID = FieldNames.id("ParentProcessId");
  static final int CURRENT_DIRECTORY = FieldNames.id("CurrentDirectory");
  static final int USER = FieldNames.id("User");
  static final int HASHES = FieldNames.id("Hashes");
  static final int NEW_PROCESS_NAME = FieldNames.id("NewProcessName");
  static final int PARENT_PROCESS_NAME = FieldNames.id("ParentProcessName");
  static final int NEW_PROCESS_ID = FieldNames.id("NewProcessId");
  static final int SUBJECT_USER_NAME = FieldNames.id("SubjectUserName");
  static final int SUBJECT_DOMAIN_NAME = FieldNames.id("SubjectDomainName");
  static final int TARGET_USER_NAME = FieldNames.id("TargetUserName");
  static final int TARGET_DOMAIN_NAME = FieldNames.id("TargetDomainName");
  static final int IP_ADDRESS = FieldNames.id("IpAddress");
  static final int IP_PORT = FieldNames.id("IpPort");
  static final int WORKSTATION_NAME = FieldNames.id("WorkstationName");
  static final int LOGON_TYPE = FieldNames.id("LogonType");
  static final int SOURCE_IP = FieldNames.id("SourceIp");
  static final int SOURCE_PORT = FieldNames.id("SourcePort");
  static final int DESTINATION_IP = FieldNames.id("DestinationIp");
  static final int DESTINATION_PORT = FieldNames.id("DestinationPort");
  static final int DESTINATION_HOSTNAME = FieldNames.id("DestinationHostname");
  static final int QUERY_NAME = FieldNames.id("QueryName");
  static final int TARGET_FILENAME = FieldNames.id("TargetFilename");
  static final int SOURCE_IMAGE = FieldNames.id("SourceImage");
  static final int SERVICE_NAME = FieldNames.id("ServiceName");
  static final int TARGET_OBJECT = FieldNames.id("TargetObject");
  static final int SCRIPT_BLOCK_TEXT = FieldNames.id("ScriptBlockText");

  // ECS.
  static final int ECS_HOST_NAME = FieldNames.id("host.name");
  static final int ECS_EVENT_CODE = FieldNames.id("event.code");
  static final int ECS_EVENT_PROVIDER = FieldNames.id("event.provider");
  static final int ECS_EVENT_MODULE = FieldNames.id("event.module");
  static final int ECS_EVENT_CATEGORY = FieldNames.id("event.category");
  static final int ECS_EVENT_TYPE = FieldNames.id("event.type");
  static final int ECS_EVENT_OUTCOME = FieldNames.id("event.outcome");
  static final int ECS_EVENT_ACTION = FieldNames.id("event.action");
  static final int ECS_EVENT_DATASET = FieldNames.id("event.dataset");
  static final int ECS_EVENT_ID = FieldNames.id("event.id");
  static final int ECS_CLOUD_PROVIDER = FieldNames.id("cloud.provider");
  static final int ECS_CLOUD_ACCOUNT = FieldNames.id("cloud.account.id");
  static final int ECS_USER_AGENT = FieldNames.id("user_agent.original");
  static final int ECS_PROCESS_EXECUTABLE = FieldNames.id("process.executable");
  static final int ECS_PROCESS_NAME = FieldNames.id("process.name");
  static final int ECS_PROCESS_COMMAND_LINE = FieldNames.id("process.command_line");
  static final int ECS_PROCESS_PID = FieldNames.id("process.pid");
  static final int ECS_PROCESS_WORKING_DIRECTORY = FieldNames.id("process.working_directory");
  static final int ECS_PARENT_EXECUTABLE = FieldNames.id("process.parent.executable");
  static final int ECS_PARENT_NAME = FieldNames.id("process.parent.name");
  static final int ECS_PARENT_COMMAND_LINE = FieldNames.id("process.parent.command_line");
  static final int ECS_PARENT_PID = FieldNames.id("process.parent.pid");
  static final int ECS_USER_NAME = FieldNames.id("user.name");
  static final int ECS_USER_DOMAIN = FieldNames.id("user.domain");
  static final int ECS_SOURCE_IP = FieldNames.id("source.ip");
  static final int ECS_SOURCE_PORT = FieldNames.id("source.port");
  static final int ECS_SOURCE_DOMAIN = FieldNames.id("source.domain");
  static final int ECS_DESTINATION_IP = FieldNames.id("destination.ip");
  static final int ECS_DESTINATION_PORT = FieldNames.id("destination.port");
  static final int ECS_DESTINATION_DOMAIN = FieldNames.id("destination.domain");
  static final int ECS_DNS_QUESTION_NAME = FieldNames.id("dns.question.name");
  static final int ECS_FILE_PATH = FieldNames.id("file.path");
  static final int ECS_SERVICE_NAME = FieldNames.id("service.name");
  static final int ECS_REGISTRY_PATH = FieldNames.id("registry.path");
  static final int ECS_LOGON_TYPE = FieldNames.id("winlog.logon.type");
}
