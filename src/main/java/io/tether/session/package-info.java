/** User-side sessions on device targets: lifecycle, sharing, recording and replay. */
package io.tether.session;
