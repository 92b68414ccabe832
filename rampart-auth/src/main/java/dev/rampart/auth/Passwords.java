package dev.rampart.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Argon2id password hashes in the PHC string format, with OWASP's minimum parameters (19 MiB, two
 * passes, one lane); a hash made with other parameters still verifies, by the parameters it
 * carries.
 */
public final class Passwords {
  private static final Argon2Function ARGON2 =
      Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
  private static final SecureRandom RANDOM = new SecureRandom();
  // Checked when a user does not exist, so an unknown name costs as long as a wrong password.
  private static final String DUMMY = hash("not-a-password-" + RANDOM.nextLong());

  private Passwords() {}

  public static String hash(String password) {
    return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
  }

  public static boolean check(String password, String hash) {
    if (hash == null) {
      Password.check(password, DUMMY).with(ARGON2);
      return false;
    }
    return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
  }

  /** A random password for a new account: 18 bytes, URL-safe base64 (24 characters). */
  public static String generate() {
    byte[] b = new byte[18];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Why a password is refused, or null when it is acceptable. */
  public static String weakness(String password) {
    if (password == null || password.length() < 12) {
      return "a password has at least 12 characters";
    }
    if (password.length() > 1024) {
      return "a password has at most 1024 characters";
    }
    return null;
  }
}
