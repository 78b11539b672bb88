package io.avisstream.avis.eval;

/** Malformed evaluation input; the message names the file and the entry (exit code 65, one line). */
public class EvalDataException extends RuntimeException {

    public EvalDataException(String message) {
        super(message);
    }

    public static EvalDataException at(String file, String entry, String problem) {
        return new EvalDataException(file + ": " + entry + ": " + problem);
    }
}
