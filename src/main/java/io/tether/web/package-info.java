/** The web UI's serving side: the single-page app's deep links and the browser security headers. */
package io.tether.web;
