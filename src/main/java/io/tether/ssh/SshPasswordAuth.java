package io.tether.ssh;

import io.tether.access.Principal;
import io.tether.user.UserAccount;
import java.util.Optional;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.server.auth.AbstractUserAuth;
import org.apache.sshd.server.auth.AbstractUserAuthFactory;
import org.apache.sshd.server.auth.UserAuth;
import org.apache.sshd.server.auth.keyboard.InteractiveChallenge;
import org.apache.sshd.server.session.ServerSession;

/**
 * Keyboard-interactive sign-in (RFC 4256) with the user's portal password and then, only once the
 * password was right and only for a user who has one, their second factor: a second round, as
 * OpenSSH's PAM does, so that nobody learns who has a factor without their password. A session
 * signed in with both counts as two-factor ({@link Principal#mfa()}) and may open devices of groups
 * that require one. SSHD's own keyboard-interactive asks a single round; this asks one or two.
 */
final class SshPasswordAuth extends AbstractUserAuth {
  static final String NAME = "keyboard-interactive";

  /** The id of the server-side session a password sign-in established (ended with the SSH one). */
  static final AttributeRepository.AttributeKey<Long> SESSION_ID =
      new AttributeRepository.AttributeKey<>();

  static final String PASSWORD_PROMPT = "Password: ";
  static final String CODE_PROMPT = "Verification code (or a recovery code): ";

  private final SshPasswordSignIn signIn;
  private final SshAdmission admission;
  private SshLogin login;
  private UserAccount passed;

  private SshPasswordAuth(SshPasswordSignIn signIn, SshAdmission admission) {
    super(NAME);
    this.signIn = signIn;
    this.admission = admission;
  }

  /** The throttle is the password check's own ({@code AuthService#checkSignIn}). */
  static AbstractUserAuthFactory factory(SshPasswordSignIn signIn, SshAdmission admission) {
    return new AbstractUserAuthFactory(NAME) {
      @Override
      public UserAuth createUserAuth(ServerSession session) {
        return new SshPasswordAuth(signIn, admission);
      }
    };
  }

  @Override
  protected Boolean doAuth(Buffer buffer, boolean init) throws Exception {
    ServerSession session = getServerSession();
    String username = getUsername();
    String address = SshKeyAuth.address(session);
    if (init) {
      buffer.getString(); // language tag
      buffer.getString(); // submethods
      Optional<SshLogin> parsed = SshLogin.parse(username);
      if (parsed.isEmpty()) {
        admission.refused(
            username, null, address, username, "the login is not USER:DEVICE[:TARGET]");
        return false;
      }
      login = parsed.get();
      ask(session, PASSWORD_PROMPT);
      return null;
    }
    int cmd = buffer.getUByte();
    if (cmd != SshConstants.SSH_MSG_USERAUTH_INFO_RESPONSE) {
      return false;
    }
    int answers = buffer.getInt();
    if (answers != 1) {
      return false;
    }
    String answer = buffer.getString();
    if (passed == null) {
      SshPasswordSignIn.Checked checked = signIn.password(login.user(), answer, address);
      if (checked.user() == null) {
        admission.refused(login.user(), null, address, username, checked.refusal());
        return false;
      }
      passed = checked.user();
      if (signIn.needsCode(passed)) {
        ask(session, CODE_PROMPT);
        return null;
      }
      return signedIn(session, false, address);
    }
    Optional<String> wrong = signIn.code(passed, answer, address);
    if (wrong.isPresent()) {
      admission.refused(passed.username, passed.id, address, username, wrong.get());
      return false;
    }
    return signedIn(session, true, address);
  }

  private boolean signedIn(ServerSession session, boolean mfa, String address) {
    Principal p = signIn.signIn(passed, address, mfa);
    session.setAttribute(SESSION_ID, p.credentialId());
    session.setAttribute(SshKeyAuth.PRINCIPAL, p);
    session.setAttribute(SshKeyAuth.LOGIN, login);
    return true;
  }

  private static void ask(ServerSession session, String prompt) throws java.io.IOException {
    InteractiveChallenge challenge = new InteractiveChallenge();
    challenge.setInteractionName("Tether");
    challenge.setInteractionInstruction("");
    challenge.setLanguageTag("");
    challenge.addPrompt(prompt, false);
    Buffer request = session.createBuffer(SshConstants.SSH_MSG_USERAUTH_INFO_REQUEST);
    challenge.append(request);
    session.writePacket(request);
  }
}
