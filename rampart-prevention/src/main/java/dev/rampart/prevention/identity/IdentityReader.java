package dev.rampart.prevention.identity;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import dev.rampart.core.io.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * People from the files directories and identity providers export: CSV with a header (names as HR
 * systems and AD tools write them), LDIF from LDAP or Active Directory ({@code ldifde}, {@code
 * ldapsearch}: users with {@code memberOf}, or groups with {@code member}/{@code memberUid}), and
 * JSON from an IdP (Okta's users with their {@code profile}, Microsoft Graph's {@code value} list
 * from Entra ID, or a plain list of objects with the CSV's names). A record that cannot be read is
 * a problem with its file and line and the rest are read.
 */
public final class IdentityReader {
  /** The formats, told apart by the file's name or its first character. */
  public enum Format {
    CSV,
    LDIF,
    JSON;

    public static Format of(Path file) throws IOException {
      String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
      if (n.endsWith(".csv")) {
        return CSV;
      }
      if (n.endsWith(".ldif") || n.endsWith(".ldf")) {
        return LDIF;
      }
      if (n.endsWith(".json")) {
        return JSON;
      }
      try (InputStream in = Files.newInputStream(file)) {
        int c;
        do {
          c = in.read();
        } while (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0xEF || c == 0xBB
            || c == 0xBF);
        return c == '[' || c == '{' ? JSON : c == 'd' || c == 'D' || c == '#' ? LDIF : CSV;
      }
    }
  }

  /** What a file held: the people read and the problems found. */
  public record Result(List<ImportedPerson> people, List<Problem> problems) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  // Header names as exports spell them (folded, spaces and underscores dropped) → our field.
  private static final Map<String, String> COLUMNS = new HashMap<>();

  static {
    alias("employee", "employeeid", "employeenumber", "empid", "personid", "workerid", "staffid");
    alias("name", "name", "displayname", "fullname", "cn", "commonname");
    alias("first", "firstname", "givenname");
    alias("last", "lastname", "surname", "sn", "familyname");
    alias("email", "email", "mail", "emailaddress", "workemail", "primaryemail");
    alias("department", "department", "dept", "ou", "organizationalunit", "division");
    alias("title", "title", "jobtitle", "position", "role");
    alias("manager", "manager", "manageremail", "managerid", "managerlogin", "supervisor");
    alias("status", "status", "accountstatus", "state");
    alias("enabled", "enabled", "active", "accountenabled", "isactive");
    alias(
        "accounts",
        "login",
        "logins",
        "username",
        "user",
        "account",
        "accounts",
        "samaccountname",
        "userprincipalname",
        "upn",
        "uid");
    alias("groups", "groups", "memberof", "group");
  }

  private static void alias(String field, String... names) {
    for (String n : names) {
      COLUMNS.put(n, field);
    }
  }

  private IdentityReader() {}

  public static Result read(Path file, Format format) throws IOException {
    return switch (format) {
      case CSV -> csv(file);
      case LDIF -> ldif(file);
      case JSON -> json(file);
    };
  }

  // ------------------------------------------------------------------ CSV

  static Result csv(Path file) throws IOException {
    List<ImportedPerson> people = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    String src = file.toString();
    CsvMapper mapper = new CsvMapper();
    mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
    try (var it = mapper.readerFor(String[].class).<String[]>readValues(file.toFile())) {
      if (!it.hasNext()) {
        return new Result(people, List.of(Problem.error(src, 1, -1, "empty: no header")));
      }
      String[] header = it.next();
      String[] fields = new String[header.length];
      Set<String> known = new LinkedHashSet<>();
      for (int i = 0; i < header.length; i++) {
        String f = COLUMNS.get(fold(header[i]));
        fields[i] = f;
        if (f == null) {
          problems.add(
              Problem.warning(src, 1, -1, "column '" + header[i].strip() + "' is not used"));
        } else {
          known.add(f);
        }
      }
      if (!known.contains("email") && !known.contains("accounts") && !known.contains("employee")) {
        problems.add(
            Problem.error(
                src,
                1,
                -1,
                "no column names a person (email, login/username/sAMAccountName, employee id);"
                    + " the header has: "
                    + String.join(", ", header)));
        return new Result(people, problems);
      }
      while (true) {
        long line;
        String[] row;
        try {
          if (!it.hasNextValue()) {
            break;
          }
          line = it.getCurrentLocation().getLineNr();
          row = it.nextValue();
        } catch (RuntimeException | IOException bad) {
          problems.add(
              Problem.error(src, it.getCurrentLocation().getLineNr(), -1, clean(bad.getMessage())));
          break; // the CSV's structure is broken past this point
        }
        if (java.util.Arrays.stream(row).allMatch(x -> x == null || x.isBlank())) {
          continue; // a blank line, or one of empty cells
        }
        Map<String, String> v = new HashMap<>();
        Map<String, List<String>> multi = new HashMap<>();
        for (int i = 0; i < row.length && i < fields.length; i++) {
          if (fields[i] == null || row[i] == null || row[i].isBlank()) {
            continue;
          }
          if (fields[i].equals("accounts") || fields[i].equals("groups")) {
            multi.computeIfAbsent(fields[i], k -> new ArrayList<>()).addAll(Names.several(row[i]));
          } else {
            v.putIfAbsent(fields[i], row[i].strip());
          }
        }
        if (row.length > fields.length) {
          problems.add(
              Problem.warning(
                  src, line, -1, row.length + " cells, the header has " + fields.length));
        }
        person(v, multi, line, src, problems, people);
      }
    }
    return new Result(people, problems);
  }

  private static String fold(String header) {
    return header.strip().toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-.]", "");
  }

  private static void person(
      Map<String, String> v,
      Map<String, List<String>> multi,
      long line,
      String src,
      List<Problem> problems,
      List<ImportedPerson> out) {
    List<String> accounts = new ArrayList<>(multi.getOrDefault("accounts", List.of()));
    String email = v.get("email");
    if (email != null && !email.contains("@")) {
      problems.add(
          Problem.warning(src, line, -1, "email '" + email + "' has no @: kept as an account"));
      accounts.add(email);
      email = null;
    }
    if (email == null && accounts.isEmpty() && v.get("employee") == null) {
      problems.add(
          Problem.error(src, line, -1, "no email, login or employee id: the row names nobody"));
      return;
    }
    String name = v.get("name");
    if (name == null && (v.get("first") != null || v.get("last") != null)) {
      name = (v.getOrDefault("first", "") + " " + v.getOrDefault("last", "")).strip();
    }
    boolean active = true;
    String status = v.get("status");
    if (status != null) {
      String s = status.toLowerCase(Locale.ROOT);
      active =
          !(s.startsWith("disabl")
              || s.startsWith("inactiv")
              || s.startsWith("suspend")
              || s.startsWith("deprovision")
              || s.startsWith("terminat")
              || s.startsWith("leaver")
              || s.equals("locked_out"));
    }
    String enabled = v.get("enabled");
    if (enabled != null) {
      String e = enabled.toLowerCase(Locale.ROOT);
      active = active && !(e.equals("false") || e.equals("no") || e.equals("0") || e.equals("n"));
    }
    List<String> groups = new ArrayList<>();
    for (String g : multi.getOrDefault("groups", List.of())) {
      groups.add(Names.groupName(g));
    }
    out.add(
        new ImportedPerson(
            line,
            v.get("employee"),
            name,
            email,
            v.get("department"),
            v.get("title"),
            v.get("manager"),
            active,
            accounts,
            groups));
  }

  // ------------------------------------------------------------------ LDIF

  static Result ldif(Path file) throws IOException {
    List<Problem> problems = new ArrayList<>();
    String src = file.toString();
    // users first (with memberOf when AD wrote it), then groups' member lists, joined by DN or uid
    Map<String, Map<String, String>> users = new LinkedHashMap<>(); // dn (folded) → fields
    Map<String, Map<String, List<String>>> multi = new HashMap<>();
    Map<String, Long> lines = new HashMap<>();
    Map<String, String> byUid = new HashMap<>();
    List<String[]> groupMembers = new ArrayList<>(); // {group name, member DN or uid}
    long ordinal = 0;
    try (LDIFReader r = new LDIFReader(file.toFile())) {
      while (true) {
        Entry e;
        try {
          e = r.readEntry();
        } catch (LDIFException bad) {
          problems.add(Problem.error(src, bad.getLineNumber(), -1, clean(bad.getMessage())));
          if (bad.mayContinueReading()) {
            continue;
          }
          break;
        }
        if (e == null) {
          break;
        }
        ordinal++;
        Set<String> classes = new LinkedHashSet<>();
        String[] oc = e.getObjectClassValues();
        if (oc != null) {
          for (String c : oc) {
            classes.add(c.toLowerCase(Locale.ROOT));
          }
        }
        boolean group =
            classes.contains("group")
                || classes.contains("groupofnames")
                || classes.contains("groupofuniquenames")
                || classes.contains("posixgroup");
        if (group) {
          String name = first(e, "cn");
          if (name == null) {
            name = Names.groupName(e.getDN());
          }
          for (String attr : new String[] {"member", "uniqueMember", "memberUid"}) {
            String[] vs = e.getAttributeValues(attr);
            if (vs != null) {
              for (String m : vs) {
                groupMembers.add(new String[] {name, m});
              }
            }
          }
          continue;
        }
        boolean person =
            classes.contains("person")
                || classes.contains("user")
                || classes.contains("inetorgperson")
                || classes.contains("organizationalperson")
                || classes.contains("posixaccount");
        if (!person) {
          continue; // OUs, computers, containers
        }
        String dn = Names.key(e.getDN());
        Map<String, String> v = new HashMap<>();
        put(v, "employee", first(e, "employeeID", "employeeNumber"));
        put(v, "name", first(e, "displayName", "cn"));
        put(v, "first", first(e, "givenName"));
        put(v, "last", first(e, "sn"));
        put(v, "email", first(e, "mail"));
        put(v, "department", first(e, "department", "ou"));
        put(v, "title", first(e, "title"));
        put(v, "manager", first(e, "manager"));
        String uac = first(e, "userAccountControl");
        if (uac != null) {
          try {
            if ((Long.parseLong(uac) & 2) != 0) { // ACCOUNTDISABLE
              v.put("status", "disabled");
            }
          } catch (NumberFormatException x) {
            problems.add(
                Problem.warning(src, 0, -1, e.getDN() + ": userAccountControl '" + uac + "'"));
          }
        }
        if ("true".equalsIgnoreCase(first(e, "nsAccountLock", "pwdAccountLockedTime"))) {
          v.put("status", "disabled");
        }
        Map<String, List<String>> m = new HashMap<>();
        List<String> accounts = new ArrayList<>();
        for (String a : new String[] {"sAMAccountName", "userPrincipalName", "uid"}) {
          String[] vs = e.getAttributeValues(a);
          if (vs != null) {
            for (String x : vs) {
              accounts.add(x);
              byUid.put(Names.key(x), dn);
            }
          }
        }
        m.put("accounts", accounts);
        List<String> groups = new ArrayList<>();
        String[] memberOf = e.getAttributeValues("memberOf");
        if (memberOf != null) {
          groups.addAll(List.of(memberOf));
        }
        m.put("groups", groups);
        users.put(dn, v);
        multi.put(dn, m);
        lines.put(dn, ordinal);
      }
    } catch (IOException e) {
      problems.add(Problem.error(src, 0, -1, e.getMessage()));
    }
    for (String[] gm : groupMembers) {
      String member = Names.key(gm[1]);
      String dn = users.containsKey(member) ? member : byUid.get(member);
      if (dn != null) {
        multi.get(dn).get("groups").add(gm[0]);
      }
    }
    List<ImportedPerson> people = new ArrayList<>();
    for (var u : users.entrySet()) {
      // LDIF entries have no useful line of their own here: the entry's place in the file
      person(u.getValue(), multi.get(u.getKey()), lines.get(u.getKey()), src, problems, people);
    }
    return new Result(people, problems);
  }

  private static String first(Entry e, String... attrs) {
    for (String a : attrs) {
      String v = e.getAttributeValue(a);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  private static void put(Map<String, String> v, String k, String value) {
    if (value != null && !value.isBlank()) {
      v.put(k, value.strip());
    }
  }

  // ------------------------------------------------------------------ JSON

  static Result json(Path file) throws IOException {
    List<ImportedPerson> people = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    String src = file.toString();
    try (JsonParser p = JSON.getFactory().createParser(file.toFile())) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT) {
        // {"value": [...]} (Microsoft Graph) or {"users": [...]}
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          if (v == JsonToken.START_ARRAY && (name.equals("value") || name.equals("users"))) {
            t = JsonToken.START_ARRAY;
            break;
          }
          p.skipChildren();
        }
        if (t != JsonToken.START_ARRAY) {
          problems.add(
              Problem.error(src, 1, -1, "expected a list of users, or {\"value\": [...]}"));
          return new Result(people, problems);
        }
      } else if (t != JsonToken.START_ARRAY) {
        problems.add(Problem.error(src, 1, -1, "expected a list of users"));
        return new Result(people, problems);
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        long line = p.currentTokenLocation().getLineNr();
        JsonNode n = JSON.readTree(p);
        jsonPerson(n, line, src, problems, people);
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException bad) {
      problems.add(
          Problem.error(
              src,
              bad.getLocation() == null ? 0 : bad.getLocation().getLineNr(),
              -1,
              clean(bad.getOriginalMessage())));
    }
    return new Result(people, problems);
  }

  private static void jsonPerson(
      JsonNode n, long line, String src, List<Problem> problems, List<ImportedPerson> out) {
    ObjectNode flat = JSON.createObjectNode();
    n.fields().forEachRemaining(f -> flat.set(f.getKey(), f.getValue()));
    if (n.path("profile").isObject()) { // Okta: the person is in the profile
      n.path("profile").fields().forEachRemaining(f -> flat.set(f.getKey(), f.getValue()));
    }
    Map<String, String> v = new HashMap<>();
    Map<String, List<String>> multi = new HashMap<>();
    for (var it = flat.fields(); it.hasNext(); ) {
      var f = it.next();
      String field = COLUMNS.get(fold(f.getKey()));
      JsonNode x = f.getValue();
      if (field == null) {
        continue;
      }
      if (field.equals("groups")) {
        for (JsonNode g : x.isArray() ? x : List.of(x)) {
          String name =
              g.isTextual()
                  ? g.asText()
                  : g.path("displayName")
                      .asText(g.path("name").asText(g.path("profile").path("name").asText(null)));
          if (name != null && !name.isBlank()) {
            multi.computeIfAbsent("groups", k -> new ArrayList<>()).add(Names.groupName(name));
          }
        }
      } else if (field.equals("accounts")) {
        for (JsonNode a : x.isArray() ? x : List.of(x)) {
          if (a.isTextual() && !a.asText().isBlank()) {
            multi.computeIfAbsent("accounts", k -> new ArrayList<>()).add(a.asText());
          }
        }
      } else if (field.equals("manager") && x.isObject()) {
        String m = x.path("mail").asText(x.path("email").asText(x.path("id").asText(null)));
        if (m != null) {
          v.putIfAbsent("manager", m);
        }
      } else if (x.isValueNode() && !x.asText().isBlank()) {
        v.putIfAbsent(field, x.asText());
      }
    }
    if (!multi.containsKey("accounts") && flat.path("login").isTextual()) {
      multi.put("accounts", new ArrayList<>(List.of(flat.path("login").asText())));
    }
    person(v, multi, line, src, problems, out);
  }

  private static String clean(String message) {
    if (message == null) {
      return "unreadable";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
