"""Text to facts: multilingual, offline, deterministic, rule-based.

``extract_facts(article)`` reads an :class:`~cmkg.graph.facts.Article`'s normalised text and
returns an :class:`~cmkg.graph.facts.ArticleFacts`: the countries and minerals it names and the
agreements, export controls, world shares and investments it states, each with its evidence
sentence(s) and their offsets in the text. The modules, one per concern:

- :mod:`.language` the article's language; :mod:`.sentences` sentence splitting;
- :mod:`.lexicon` country and mineral names (CLDR via babel, ``ontology/*.csv``) and the matcher;
- :mod:`.mentions` mentions and their roles; :mod:`.numbers` shares and money; :mod:`.dates`;
- :mod:`.document` an article read once; :mod:`.cues` shared word lists;
- one module per fact type: :mod:`.agreements`, :mod:`.export_controls`, :mod:`.shares`,
  :mod:`.investments`; and :mod:`.pipeline`, which runs them.

Examples
--------
>>> from cmkg.graph.facts import Article
>>> doc = extract_facts(Article(id="x", language="de", published="2025-06",
...     text="China deckt 93 Prozent des weltweiten Bedarfs an Magneten."))
>>> [(f.country, f.mineral, f.stage, f.value) for f in doc.facts]
[('CN', 'rare-earths', 'manufacturing', 0.93)]
>>> EXTRACTOR_NAME
'cmkg-extractor'
"""

from __future__ import annotations

from .pipeline import extract_facts

__all__ = ["EXTRACTOR_NAME", "EXTRACTOR_VERSION", "extract_facts"]

EXTRACTOR_NAME = "cmkg-extractor"
EXTRACTOR_VERSION = "0.2.0"
