package io.avisstream.avis.topology;

import io.avisstream.avis.media.AudioWindow;
import io.avisstream.avis.message.FrameMessage;

/** Output of the audio-video join: one per accepted frame, in per-stream seq order. */
record JoinedFrame(FrameMessage frame, AudioWindow audio) {
}
