"""The spaCy pipeline: blank zh with our jieba or offline pkuseg, mentions on doc.spans and doc.ents."""
from __future__ import annotations

import pytest
from spacy.language import Language

from parser.extract.nlp import build_nlp, pkuseg_model_dir
from parser.errors import ConfigError

TEXT = "5月中旬，由市政协调研室、农业和農村委員會联合组织实施，邀请市农业农村局参加。"


@pytest.mark.parametrize("segmenter", ["jieba", "pkuseg"])
def test_components_put_mentions_on_spans_and_ents(segmenter):
    nlp = build_nlp(segmenter)
    assert nlp.pipe_names == ["planparser_dates", "planparser_orgs"]
    doc = nlp(TEXT)
    assert doc.text == TEXT
    dates = doc.spans["dates"]
    assert [s._.mention.text for s in dates] == ["5月中旬"]
    assert dates[0]._.mention.month == 5
    orgs = {s._.mention.text: s._.mention for s in doc.spans["organizations"]}
    assert orgs["市政协调研室"].role == "organizer"
    # shared prefix resolved on the normalised text; the mention keeps the span of the words as written
    second = orgs["农业和农村委员会"]
    assert TEXT[second.span[0]:second.span[1]] == "农业和農村委員會"
    assert second.canonical == "市政协农业和农村委员会"
    assert orgs["市农业农村局"].role == "participant"
    labels = {e.label_ for e in doc.ents}
    assert labels == {"DATE", "ORG"}


def test_pkuseg_model_ships_with_the_package():
    import os

    assert os.path.exists(os.path.join(pkuseg_model_dir(), "features.pkl"))


def test_a_user_component_runs_after_ours():
    @Language.component("count_orgs")
    def count_orgs(doc):
        doc.user_data["n_orgs"] = len(doc.spans["organizations"])
        return doc

    nlp = build_nlp("jieba")
    nlp.add_pipe("count_orgs", last=True)
    assert nlp(TEXT).user_data["n_orgs"] == 3


def test_only_the_asked_components_run_and_bad_names_are_clear():
    nlp = build_nlp("jieba", components=["planparser_dates"])
    doc = nlp(TEXT)
    assert "organizations" not in doc.spans and len(doc.spans["dates"]) == 1
    with pytest.raises(ConfigError, match="unknown segmenter"):
        build_nlp("thulac")
    with pytest.raises(ConfigError, match="unknown component"):
        build_nlp("jieba", components=["ner"])


def test_the_pipeline_is_built_without_spacys_command_line():
    import subprocess
    import sys

    code = ("import sys; from parser.extract.nlp import build_nlp; nlp = build_nlp()\n"
            "doc = nlp('5月中旬，由市政协调研室组织。')\n"
            "print(sorted({e.label_ for e in doc.ents}), 'spacy.cli' in sys.modules, 'typer' in sys.modules)\n"
            "import spacy, spacy.cli; from spacy.cli.info import info\n"    # the real one, on first use
            "print(callable(spacy.cli.download), spacy.info(silent=True)['spacy_version'] == spacy.__version__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["['DATE', 'ORG'] False False", "True True"]
