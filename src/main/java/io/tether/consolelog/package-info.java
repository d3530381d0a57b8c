/**
 * Console logging while nobody is connected: a logger keeps a device target's channel open and
 * stores every byte the device prints; the log is read by time, searched, shown as scrollback, and
 * matched against the group's rules.
 */
package io.tether.consolelog;
