"""Modules of the ACVIS network, laid out as the official code (backbone, pixel decoder, decoders)."""
