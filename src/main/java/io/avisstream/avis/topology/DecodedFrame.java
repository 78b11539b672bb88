package io.avisstream.avis.topology;

import io.avisstream.avis.message.FrameMessage;

/** A frame that passed every ingress check, with its original bytes for a later dead letter. */
record DecodedFrame(FrameMessage frame, byte[] rawKey, byte[] rawValue) {
}
