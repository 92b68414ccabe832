package dev.rampart.vuln.inventory;

import dev.rampart.core.io.InputFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The inventory formats Rampart reads, each with how to recognise it and read it: the registry
 * {@code rampart vuln import-inventory} and {@code scan-sbom} consult. A file is recognised by its
 * name first, then by its first kilobytes.
 */
public enum InventoryFormat {
  DPKG("dpkg", "Debian/Ubuntu /var/lib/dpkg/status", true) {
    @Override
    Inventory read(Path f, String asset, String distro) throws IOException {
      return DpkgStatus.read(f, asset, distro);
    }
  },
  APK("apk", "Alpine /lib/apk/db/installed", true) {
    @Override
    Inventory read(Path f, String asset, String distro) throws IOException {
      return OsPackages.apk(f, asset, distro);
    }
  },
  RPM("rpm", "rpm -qa --qf '" + OsPackages.RPM_QUERY_FORMAT + "' (or plain rpm -qa)", true) {
    @Override
    Inventory read(Path f, String asset, String distro) throws IOException {
      return OsPackages.rpm(f, asset, distro);
    }
  },
  SBOM("sbom", "CycloneDX JSON/XML 1.2-1.6, SPDX 2.2/2.3 JSON or tag-value", false) {
    @Override
    Inventory read(Path f, String asset, String distro) throws IOException {
      return Sboms.read(f, asset);
    }
  },
  MAVEN("maven", "mvn dependency:list output", false) {
    @Override
    Inventory read(Path f, String asset, String distro) throws IOException {
      return Lockfiles.mavenList(f, asset);
    }
  },
  NPM("npm", "package-lock.json / npm-shrinkwrap.json", false) {
    @Override
    Inventory read(Path f, String asset, String distro) throws IOException {
      return Lockfiles.npmLock(f, asset);
    }
  },
  PIP("pip", "pinned requirements.txt", false) {
    @Override
    Inventory read(Path f, String asset, String distro) throws IOException {
      return Lockfiles.requirements(f, asset);
    }
  },
  GO("go", "go.sum", false) {
    @Override
    Inventory read(Path f, String asset, String distro) throws IOException {
      return Lockfiles.goSum(f, asset);
    }
  },
  CARGO("cargo", "Cargo.lock", false) {
    @Override
    Inventory read(Path f, String asset, String distro) throws IOException {
      return Lockfiles.cargoLock(f, asset);
    }
  };

  private final String id;
  private final String description;
  private final boolean needsDistro;

  InventoryFormat(String id, String description, boolean needsDistro) {
    this.id = id;
    this.description = description;
    this.needsDistro = needsDistro;
  }

  abstract Inventory read(Path file, String asset, String distro) throws IOException;

  public String id() {
    return id;
  }

  public String description() {
    return description;
  }

  /** Whether matching needs the distribution release (the file does not say it). */
  public boolean needsDistro() {
    return needsDistro;
  }

  /** The format by its id, or null. */
  public static InventoryFormat of(String id) {
    for (InventoryFormat f : values()) {
      if (f.id.equalsIgnoreCase(id)) {
        return f;
      }
    }
    return null;
  }

  /** All formats, one per line, for help texts and errors. */
  public static String list() {
    return Arrays.stream(values())
        .map(f -> "  " + f.id + ": " + f.description)
        .collect(Collectors.joining("\n"));
  }

  /**
   * Reads a file in the given format, or in the one recognised when {@code format} is null.
   *
   * @throws IOException when the file cannot be read or its format not recognised (the message
   *     lists the formats and says to pass --format)
   */
  public static Inventory read(Path file, InventoryFormat format, String asset, String distro)
      throws IOException {
    InventoryFormat f = format != null ? format : detect(file);
    if (f == null) {
      throw new IOException(
          file + ": cannot tell the inventory format; name it with --format, one of:\n" + list());
    }
    return f.read(file, asset, distro);
  }

  /** The format of a file by its name, else by its first 4 KB; null when neither tells. */
  public static InventoryFormat detect(Path file) throws IOException {
    String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (n.endsWith(".gz")) {
      n = n.substring(0, n.length() - 3);
    }
    if (n.equals("package-lock.json") || n.equals("npm-shrinkwrap.json")) {
      return NPM;
    } else if (n.equals("go.sum")) {
      return GO;
    } else if (n.equals("cargo.lock")) {
      return CARGO;
    } else if (n.startsWith("requirements") && n.endsWith(".txt")) {
      return PIP;
    } else if (n.equals("status")) {
      return DPKG;
    } else if (n.equals("installed")) {
      return APK;
    } else if (n.contains(".cdx.") || n.contains(".spdx") || n.startsWith("bom.")) {
      return SBOM;
    }
    String head;
    try (InputStream in = InputFiles.open(file)) {
      head = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
    }
    if (head.contains("\"bomFormat\"")
        || head.contains("\"spdxVersion\"")
        || head.contains("SPDXVersion:")
        || head.contains("<bom ")
        || head.contains("cyclonedx.org")) {
      return SBOM;
    } else if (head.contains("\"lockfileVersion\"")) {
      return NPM;
    } else if (head.startsWith("Package: ") || head.contains("\nPackage: ")) {
      return DPKG;
    } else if (head.startsWith("C:Q1") || head.startsWith("P:") || head.contains("\nP:")) {
      return APK;
    } else if (head.contains("The following files have been resolved")
        || head.contains("dependency:list")) {
      return MAVEN;
    } else if (head.contains(".src.rpm")
        || head.matches("(?s)^[^\\t\\n]+(\\t[^\\t\\n]*){5}\\n.*")) {
      return RPM;
    }
    return null;
  }
}
