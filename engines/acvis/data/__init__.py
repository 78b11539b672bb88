"""AVISeg-format data: annotation/RLE reading, clip sampling and augmentation (spec §2.2), synthetic data."""
