"""Evaluation of the pipeline: ``python -m models.evaluation`` (see ``__main__``)."""
