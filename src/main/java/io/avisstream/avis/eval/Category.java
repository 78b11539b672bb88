package io.avisstream.avis.eval;

/** A GT category (dataset id and name); the GT file's order is the evaluator's class order. */
public record Category(int id, String name) {
}
