"""Metrics (ROC/AUC, principal angles) and projections (PCA, t-SNE, UMAP)."""
