package io.avisstream.avis.topology;

import io.avisstream.avis.message.AudioChunkMessage;

/** An audio chunk that passed every ingress check, with its original bytes for a later dead letter. */
record DecodedAudio(AudioChunkMessage chunk, byte[] rawKey, byte[] rawValue) {
}
