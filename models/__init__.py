"""ML model access: embedders (by name, through a registry) and spaCy pipelines."""

from models.base import Embedder
from models.registry import EMBEDDERS, create_embedder

__all__ = ["EMBEDDERS", "Embedder", "create_embedder"]
