/** Accounts: users, passwords, the first admin, roles and login. */
package io.tether.user;
