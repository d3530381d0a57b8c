/** Shared REST pieces: problem JSON, exception mappers, paging. */
package io.tether.api;
