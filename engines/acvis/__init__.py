"""ACVIS audio-visual instance segmentation in pure PyTorch (model, conversion, export)."""
