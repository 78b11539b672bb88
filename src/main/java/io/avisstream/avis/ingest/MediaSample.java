package io.avisstream.avis.ingest;

/** One item decoded from a media file, in the file's demux order: a video frame or a chunk of audio. */
public sealed interface MediaSample permits DecodedFrame, PcmChunk {

    /** Presentation time of the item's first instant, in microseconds from the start of the file. */
    long ptsMicros();
}
