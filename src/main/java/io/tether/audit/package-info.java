/** The append-only audit log. */
package io.tether.audit;
