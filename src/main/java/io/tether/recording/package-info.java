/**
 * Session recordings as bytes and as exports: the chunk format stored in the database, the display
 * decoders (the Java twin of the browser's), and the asciicast and transcript writers. Pure Java:
 * no Quarkus, no Vert.x, no Jakarta.
 */
package io.tether.recording;
