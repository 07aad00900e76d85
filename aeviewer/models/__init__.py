"""Autoencoder families, the GAN, the PCA baseline, losses and a registry of kinds."""
