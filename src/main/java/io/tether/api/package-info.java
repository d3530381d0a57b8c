/** Shared REST pieces: problem JSON, exception mappers, paging, CSV in and out. */
package io.tether.api;
