package io.tether.ssh;

import java.io.IOException;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.channel.RequestHandler;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * A session channel whose {@code break} request (RFC 4335, OpenSSH's {@code ~B}) is a serial BREAK
 * on the device; SSHD's own would signal the shell with INT. Window changes reach the shell ({@link
 * SshShell}) as SSHD's WINCH signal.
 */
final class SshChannel extends ChannelSession {
  static final ChannelFactory FACTORY =
      new ChannelFactory() {
        @Override
        public String getName() {
          return "session";
        }

        @Override
        public Channel createChannel(Session session) {
          return new SshChannel();
        }
      };

  @Override
  protected RequestHandler.Result handleBreakParsed(long millis) throws IOException {
    if (commandInstance instanceof SshShell shell) {
      shell.sendBreak(millis);
      return RequestHandler.Result.ReplySuccess;
    }
    return RequestHandler.Result.ReplyFailure;
  }
}
