package io.tether.session;

/**
 * What a session that moved between nodes brings to the hub that resumes it: where its recording
 * and participant spans stand, its totals, and who had control (reserved for them until the resume
 * window ends).
 *
 * @param elapsedMicros the session's age now (database time), where its recording goes on
 * @param lastChunkSeq the last recording chunk written (0: none)
 * @param lastSpanSeq the last participant span written (0: none)
 * @param controllerUserId who controlled it when its node let go (null: nobody)
 * @param reservedMillis how long control stays reserved for that user
 */
record SessionResume(
    long sessionId,
    long elapsedMicros,
    int lastChunkSeq,
    int lastSpanSeq,
    long bytesIn,
    long bytesOut,
    long recordingBytes,
    int recordingGaps,
    Long controllerUserId,
    long reservedMillis) {}
