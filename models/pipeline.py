"""The pipeline interface: stages that read and enrich batches of ``Document``.

Every stage follows the Hugging Face pipeline shape, preprocess -> forward -> postprocess, on a
whole batch at once, with plain data in and out. A rule stage simply has a trivial ``forward``.
A ``Pipeline`` runs its stages in order and names itself after them, so that the version of
every model that touched an article is recorded with the article.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any

from models.types import Document, StancePrediction, Topic


class Stage(ABC):
    """One step of the analysis. Subclasses set ``name`` and ``version``."""

    name: str = "stage"
    version: str = "0"
    # "quotes" finds quotes, "speakers" resolves them, "topics" and "stance" label them. Stored
    # quotes can be re-labelled (a topic was added) by running only the labelling stages.
    role: str = "quotes"

    def __call__(self, docs: Sequence[Document], **context: Any) -> list[Document]:
        docs = list(docs)
        if not docs:
            return docs
        inputs = self.preprocess(docs, **context)
        outputs = self.forward(inputs)
        return self.postprocess(docs, outputs, **context)

    def preprocess(self, docs: list[Document], **context: Any) -> Any:
        return docs

    def forward(self, inputs: Any) -> Any:
        return inputs

    @abstractmethod
    def postprocess(self, docs: list[Document], outputs: Any, **context: Any) -> list[Document]:
        """Write the stage's results into ``docs`` and return them."""

    @property
    def tag(self) -> str:
        return f"{self.name}@{self.version}"


class StanceModel(ABC):
    """(text, target) -> stance, for any target in plain words."""

    version: str = "0"

    @abstractmethod
    def predict(self, pairs: Sequence[tuple[str, str]]) -> list[StancePrediction]:
        """Predict the stance of each text toward its target, batched."""


class Pipeline:
    def __init__(self, stages: Sequence[Stage], stance_model: StanceModel | None = None):
        self.stages = list(stages)
        self.stance_model = stance_model

    @property
    def version(self) -> str:
        return "+".join(stage.tag for stage in self.stages)

    def __call__(
        self, docs: Sequence[Document], topics: Sequence[Topic] = (), people: Any = None
    ) -> list[Document]:
        """Analyse a batch of documents against the given topic catalogue and, when given, the
        registry of known people (``models.speakers.registry.PeopleRegistry``; else the speaker
        stage's own, from ``config/people.json``)."""
        out = list(docs)
        for stage in self.stages:
            out = stage(out, topics=tuple(topics), people=people)
        return out

    def analyze(self, doc: Document, topics: Sequence[Topic] = (), people: Any = None) -> Document:
        return self([doc], topics, people)[0]

    def relabel(self, docs: Sequence[Document], topics: Sequence[Topic] = ()) -> list[Document]:
        """Re-tag topics and stances of documents whose quotes and speakers are already known."""
        out = list(docs)
        for stage in self.stages:
            if stage.role in LABELLING_ROLES:
                out = stage(out, topics=tuple(topics))
        return out


LABELLING_ROLES = ("topics", "stance")
