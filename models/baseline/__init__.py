"""The rule baseline: quotation marks and cue verbs on the spaCy parse (see ``extractor``)."""
from models.baseline.extractor import RuleQuoteExtractor, extract_quotes

__all__ = ["RuleQuoteExtractor", "extract_quotes"]
