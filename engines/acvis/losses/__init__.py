"""Losses of ACVIS training: matchers, frame/video criteria, SAOC count loss (spec §4)."""
