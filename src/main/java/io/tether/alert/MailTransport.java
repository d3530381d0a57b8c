package io.tether.alert;

import io.tether.boot.TetherConfig;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.ext.mail.LoginOption;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one plain-text mail through the configured SMTP server (Vert.x's client, a new connection
 * per mail: alerts are few, and a password file is read afresh each time). Blocking: called from
 * the mailer's thread and from a REST worker thread, never from an event loop.
 */
@ApplicationScoped
public class MailTransport {
  /** Connecting, the dialogue and the data together; a server slower than this has failed. */
  static final Duration TIMEOUT = Duration.ofSeconds(20);

  @Inject Vertx vertx;
  @Inject TetherConfig config;

  public boolean configured() {
    return config.mail().host().filter(h -> !h.isBlank()).isPresent();
  }

  /** What the admin page shows: server, port, security, sender. */
  String describe() {
    TetherConfig.Mail m = config.mail();
    return m.host().orElse("") + ":" + m.port() + " (" + m.security() + "), from " + sender();
  }

  String sender() {
    return config
        .mail()
        .from()
        .filter(f -> !f.isBlank())
        .orElseGet(() -> "tether@" + defaultHost());
  }

  private String defaultHost() {
    try {
      String url = config.publicUrl().filter(u -> !u.isBlank()).orElse(null);
      if (url != null && URI.create(url).getHost() != null) {
        return URI.create(url).getHost();
      }
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException | IllegalArgumentException e) {
      return "localhost";
    }
  }

  /** Sends or throws {@link MailFailure} naming the server and the reason. */
  void send(String to, String subject, String text) {
    if (!configured()) {
      throw new MailFailure("no SMTP server is configured (TETHER_SMTP_HOST)");
    }
    TetherConfig.Mail m = config.mail();
    MailClient client = MailClient.create(vertx, mailConfig(m));
    try {
      MailMessage message =
          new MailMessage()
              .setFrom(sender())
              .setTo(to)
              .setSubject(subject)
              .setText(text)
              .setHeaders(
                  MultiMap.caseInsensitiveMultiMap().add("Auto-Submitted", "auto-generated"));
      client
          .sendMail(message)
          .toCompletionStage()
          .toCompletableFuture()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new MailFailure(server(m) + ": " + oneLine(cause));
    } catch (TimeoutException e) {
      throw new MailFailure(server(m) + ": no answer within " + TIMEOUT.toSeconds() + " s");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MailFailure(server(m) + ": interrupted");
    } finally {
      client.close();
    }
  }

  private MailConfig mailConfig(TetherConfig.Mail m) {
    MailConfig c = new MailConfig().setHostname(m.host().orElseThrow()).setPort(m.port());
    switch (m.security()) {
      case "tls" -> c.setSsl(true).setStarttls(StartTLSOptions.DISABLED);
      case "none" -> c.setStarttls(StartTLSOptions.DISABLED);
      default -> c.setStarttls(StartTLSOptions.REQUIRED);
    }
    if (!"none".equals(m.security())) {
      c.setHostnameVerificationAlgorithm("HTTPS");
    }
    c.setConnectTimeout((int) TIMEOUT.toMillis());
    c.setKeepAlive(false);
    c.setOwnHostname(defaultHost());
    String user = m.username().filter(u -> !u.isBlank()).orElse(null);
    if (user == null) {
      c.setLogin(LoginOption.DISABLED);
    } else {
      c.setLogin(LoginOption.REQUIRED).setUsername(user).setPassword(password(m));
    }
    return c;
  }

  private static String password(TetherConfig.Mail m) {
    if (m.passwordFile().isPresent()) {
      try {
        return Files.readString(m.passwordFile().get(), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new MailFailure("cannot read TETHER_SMTP_PASSWORD_FILE: " + e.getMessage());
      }
    }
    return m.password().orElse("");
  }

  private static String server(TetherConfig.Mail m) {
    return "mail through " + m.host().orElse("?") + ":" + m.port() + " failed";
  }

  private static String oneLine(Throwable t) {
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return message.replaceAll("\\s+", " ").strip();
  }
}
