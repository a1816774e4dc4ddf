"""Speakers: within-article resolution (``sieve``) and cross-article matching (``linking``)."""
from models.speakers.sieve import SpeakerResolver, resolve_speakers

__all__ = ["SpeakerResolver", "resolve_speakers"]
