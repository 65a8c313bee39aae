"""Old import path kept for the README's ``parser.nlp.build_nlp``; the code is parser.extract.nlp."""
from .extract.nlp import COMPONENTS, annotate, build_nlp, pkuseg_model_dir  # noqa: F401
