"""The local Personicle sign-in issuer and its routes."""
