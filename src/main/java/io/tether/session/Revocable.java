package io.tether.session;

/** A user's open socket on a device (terminal, data flow) that access changes may end. */
interface Revocable {
  JoinRequest who();

  /** Access is gone: close with {@code detail} as the reason. */
  void revoke(String detail);
}
