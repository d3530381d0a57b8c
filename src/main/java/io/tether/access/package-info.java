/** Who may do what: principals, authentication of cookies and tokens, the one access policy. */
package io.tether.access;
