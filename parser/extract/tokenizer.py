"""The spaCy pipeline's jieba tokenizer: the organisation finder's own jieba (our lexicon of bodies
as user words, dictionary segmentation), so bodies stay whole tokens ("市政协/调研室") and a batch
segments its text once: the organisation component reads the tokens instead of cutting again.
Registered as ``planparser.jieba_tokenizer.v1`` so configs serialise.
"""
from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc
from spacy.util import get_words_and_spaces, registry
from spacy.vocab import Vocab


def _jieba():
    from .orgs import segmenter

    return segmenter()


class JiebaTokenizer:
    """Text → Doc with jieba pieces as tokens; one ASCII space after a token is its trailing space."""

    def __init__(self, vocab: Vocab, hmm: bool = False):
        self.vocab = vocab
        self.hmm = hmm

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for piece in _jieba().cut(text, HMM=self.hmm):
            if piece == " " and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
            else:
                words.append(piece)
                spaces.append(False)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        if doc.text != text:  # never lose a character: fall back to spaCy's alignment
            words, spaces = get_words_and_spaces([w for w in _jieba().cut(text, HMM=self.hmm) if w], text)
            doc = Doc(self.vocab, words=words, spaces=spaces)
        return doc

    # serialisation: nothing to save beyond the setting in the config
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "JiebaTokenizer":
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> "JiebaTokenizer":
        return self


@registry.tokenizers("planparser.jieba_tokenizer.v1")
def create_jieba_tokenizer(hmm: bool = False) -> Callable[..., JiebaTokenizer]:
    def make(nlp) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, hmm=hmm)

    return make
