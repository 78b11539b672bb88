package io.avisstream.avis.eval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the evaluator's input files: unreadable is exit 66, not JSON is a data error (65). */
final class InputFiles {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A file that cannot be read at all (missing, a directory, no permission). */
    static final class UnreadableException extends RuntimeException {
        UnreadableException(String message) {
            super(message);
        }
    }

    private InputFiles() {
    }

    static JsonNode json(Path file) {
        byte[] bytes = bytes(file);
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw EvalDataException.at(file.toString(), at == null ? "content" : "line " + at.getLineNr() + " column "
                    + at.getColumnNr(), "not valid JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> lines(Path file) {
        return new String(bytes(file), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            throw new UnreadableException(file + ": cannot read (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null || e.getMessage().equals(file.toString()) ? "" : ": " + e.getMessage()) + ")");
        }
    }
}
