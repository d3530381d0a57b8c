/** Session recordings: the stored chunk format, the display decoders and the export writers. */
package io.tether.recording;
