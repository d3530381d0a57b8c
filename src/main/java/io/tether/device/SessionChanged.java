package io.tether.device;

/**
 * Published (CDI event, synchronously, on the session's event loop) when a session becomes live,
 * when its controller or the people in it change, and when it ends. Declared here, where the live
 * event stream is, and fired by {@code session}, as {@link PresenceChanged} is by {@code tunnel}.
 *
 * @param deviceName the device's name as the session knows it (null: the stream reads it)
 * @param kind {@code terminal} or {@code forward}, as in the sessions API
 * @param controller who controls it now (null: nobody, or it ended)
 * @param people how many different users take part now (0 once it ended)
 */
public record SessionChanged(
    long sessionId,
    long deviceId,
    String deviceName,
    String target,
    String kind,
    boolean live,
    String controller,
    int people) {}
