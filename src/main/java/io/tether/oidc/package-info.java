/**
 * Single sign-on with OpenID Connect: providers from the environment, the authorization code flow
 * with PKCE, ID token checks, identities bound to accounts by (issuer, subject), invitations,
 * groups-claim grants. A sign-in here only establishes the portal's own web session.
 */
package io.tether.oidc;
