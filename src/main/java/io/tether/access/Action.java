package io.tether.access;

/** What a principal wants to do with a device. */
public enum Action {
  /** See the device, its targets and presence; watch sessions. */
  VIEW,
  /** Open sessions, take control, change serial settings. */
  OPERATE,
  /** Create, change, delete the device or rotate its token (admins only). */
  MANAGE
}
