"""Chinese text engine: normalisation, segmentation, keywords and near-duplicate fingerprints."""
