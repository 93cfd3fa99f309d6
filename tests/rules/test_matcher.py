"""The compiled matcher finds exactly the hits and evidence of evaluating every rule."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime

import pytest
from helpers import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from netral_cli.api import load_ruleset
from netral_cli.engines import situated_docs
from netral_cli.items import new_item
from netral_cli.rules.conditions import AllOf, AnyOf, ContextSet, NoneOf, Phrase, Regex, Tokens
from netral_cli.rules.context import bind_rules, load_context
from netral_cli.rules.engine import evaluate
from netral_cli.rules.matcher import PREFIX, WORD, Anchor, RuleMatcher, fields_read, requirements, stop_words

CONTEXT = load_context(ROOT / "rules" / "contexts" / "pemilu-2024.yaml")
RULES = load_ruleset(None).active
CORPUS = [json.loads(line)["text"] for path in sorted((ROOT / "data" / "labelled").glob("*.jsonl"))
          for line in path.read_text(encoding="utf-8").splitlines()]
EXAMPLES = [example.text for rule in RULES for example in (*rule.match_examples, *rule.no_match_examples)]
TEXTS = CORPUS + EXAMPLES
TARGETS = [None, "@relawan.contoh01", "https://www.instagram.com/relawan.contoh02/", "Grup Relawan Contoh"]
MOMENTS = [None, datetime.fromisoformat("2023-10-02T08:00:00+07:00"),
           datetime.fromisoformat("2024-01-05T08:00:00+07:00"), datetime.fromisoformat("2024-02-12T08:00:00+07:00")]


BOUND = {None: bind_rules(RULES, None), CONTEXT: bind_rules(RULES, CONTEXT)}
MATCHERS = {context: RuleMatcher(rules) for context, rules in BOUND.items()}


def same_hits(text, kind="post", target=None, timestamp=None, context=None):
    item = new_item(platform="test", kind=kind, text=text, target=target, timestamp=timestamp, source_file="-",
                    locator="-")
    _, docs = situated_docs(item, context)
    expected = evaluate(BOUND[context], kind, docs)
    assert MATCHERS[context].evaluate(kind, docs) == expected
    _, read = situated_docs(item, context, MATCHERS[context].fields(kind))  # the fields a scan normalises
    assert MATCHERS[context].evaluate(kind, read) == expected
    return expected


@pytest.mark.parametrize("context", [None, CONTEXT], ids=["no-context", "pemilu-2024"])
def test_every_corpus_text_and_rule_example_gets_the_same_hits(context):
    hits = sum(len(same_hits(text, context=context)) for text in TEXTS)
    assert hits > 1000


@settings(max_examples=150)
@given(st.lists(st.sampled_from(TEXTS), min_size=1, max_size=3),
       st.sampled_from(["post", "comment", "like", "share", "follow", "reaction"]),
       st.sampled_from(TARGETS), st.sampled_from(MOMENTS), st.booleans())
def test_combined_texts_targets_and_moments_get_the_same_hits(texts, kind, target, moment, with_context):
    same_hits(" ".join(texts), kind, target, moment, CONTEXT if with_context else None)


def test_requirements_are_the_literals_a_condition_needs():
    coblos, pilih, c, d, a, b = (Anchor("text", WORD, "coblos"), Anchor("text", PREFIX, "pilih"),
                                 Anchor("text", WORD, "c"), Anchor("text", WORD, "d"), Anchor("text", WORD, "a"),
                                 Anchor("text", WORD, "b"))
    assert requirements(Phrase((("coblos", "nomor"), ("pilih*",)))) == ({coblos, pilih},)
    assert requirements(AllOf((Tokens(frozenset({"a", "b"})), Phrase((("c",),))))) == ({a, b}, {c})
    # any(c, all(d, a|b)): whichever holds, c or d occurs, and c or a or b occurs
    assert requirements(AnyOf((Phrase((("c",),)), AllOf((Phrase((("d",),)), Tokens(frozenset({"a", "b"}))))))) \
        == ({c, d}, {c, a, b})
    assert requirements(AnyOf((Phrase((("c",),)), NoneOf((Phrase((("d",),)),))))) == ()
    assert requirements(NoneOf((NoneOf((Phrase((("d",),)), Phrase((("c",),)))),))) == ({c, d},)
    assert requirements(ContextSet("slogans")) == (frozenset(),)
    assert requirements(AllOf((Phrase((("c",),)), Phrase((("c",), ("d",)))))) == ({c},)  # c or d holds when c does


def test_a_phrase_is_anchored_on_its_longest_word_or_prefix_that_is_not_a_stop_word():
    dukung, coblos = Anchor("text", WORD, "dukung"), Anchor("text", WORD, "coblos")
    assert requirements(Phrase((("yang", "dukung"), ("nomor*", "coblos", "no")))) == ({dukung, coblos},)
    assert requirements(Phrase((("ke", "relawan*", "*"),))) == ({Anchor("text", PREFIX, "relawan")},)
    assert {"kita", "sendiri", "bersama"} <= stop_words()
    # a short word that is not a stop word before a longer one that is; all stop words: the longest
    assert requirements(Phrase((("kiri", "sendiri"), ("kita", "bersama")))) == (
        {Anchor("text", WORD, "kiri"), Anchor("text", WORD, "bersama")},)
    assert requirements(Phrase((("*",),))) == ()
    assert requirements(Regex(re.compile("x"))) == ()


def test_a_rule_without_requirements_is_evaluated_on_every_item():
    matcher = MATCHERS[CONTEXT]
    unconditional = [matcher.rules[i].id for i in matcher.always]
    assert unconditional == [rule.id for rule in BOUND[CONTEXT] if requirements(rule.condition) == ()]
    assert "a4b6.konteks-akun-kampanye" in unconditional and len(unconditional) < len(RULES) // 4
    breakfast = new_item(platform="t", kind="post", text="sarapan dulu", source_file="-", locator="-")
    assert matcher.candidates(situated_docs(breakfast, None)[1]) == matcher.always


def test_a_rule_is_a_candidate_through_a_word_or_prefix_of_any_length_and_not_through_a_shorter_token():
    prefixes = ("cal", "calo", "calon", "@timpemenangan")  # 3, 4, 5 and 14 characters
    rules = [replace(RULES[0], id=f"t.{prefix}", condition=Phrase(((prefix + "*",),))) for prefix in prefixes]
    rules.append(replace(RULES[0], id="t.word", condition=Phrase((("coblos",),))))
    matcher = RuleMatcher(rules)

    def candidates(text):
        item = new_item(platform="t", kind="post", text=text, source_file="-", locator="-")
        return [rules[i].id for i in matcher.candidates(situated_docs(item, None)[1])]

    assert candidates("ca cal calo") == ["t.cal", "t.calo"]
    assert candidates("yang calonnya coblos") == ["t.cal", "t.calo", "t.calon", "t.word"]
    assert candidates("cek @timpemenangan.jatim") == ["t.@timpemenangan"]
    assert candidates("@timpemenanga coblosan pencalonan") == []  # too short, a longer word, not at a word's start


def test_a_rule_of_two_clauses_is_a_candidate_only_for_an_item_that_meets_both():
    rule = replace(RULES[0], id="t.both", condition=AllOf((Phrase((("coblos",),)), Phrase((("nomor*",),)))))
    matcher = RuleMatcher([rule])
    texts = ["ayo coblos", "nomornya dua", "coblos nomor 2", "", "coblosan nomor"]
    docs_of = [situated_docs(new_item(platform="t", kind="post", text=text, source_file="-", locator="-"), None)[1]
               for text in texts]
    assert matcher.chunk_candidates(docs_of) == [[], [], [0], [], []]  # clauses of two items do not add up


def test_the_fields_a_condition_reads_are_those_its_leaves_name():
    coblos, link = Phrase((("coblos",),)), Regex(re.compile("relawan"), "target")
    assert fields_read(AllOf((coblos, NoneOf((link,))))) == {"text", "target"}
    assert fields_read(AnyOf((Tokens(frozenset({"tkn"}), 1, "group"),))) == {"group"}
    assert fields_read(object()) == {"text", "target", "group"}  # a condition of an unknown kind may read any


def test_a_comment_needs_no_target_with_the_bundled_rules_but_a_like_does():
    matcher = MATCHERS[None]
    assert matcher.fields("comment") == {"text"}
    assert matcher.fields("like") == {"text", "target", "group"}


@pytest.mark.parametrize("kind", ["comment", "share"])
def test_a_comment_on_a_campaign_account_is_found_through_its_target_with_a_context(kind):
    assert [hit.rule.id for hit in same_hits("mantap sekali", kind, TARGETS[1], context=CONTEXT)] == \
        ["a4b6.konteks-akun-kampanye"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(TEXTS + ["#PilihNomor2 coblos", "calonnya dukung"]), max_size=2),
                          st.sampled_from(["post", "comment", "like", "share"]), st.sampled_from(TARGETS)),
                min_size=1, max_size=12),
       st.booleans(), st.booleans())
def test_a_chunks_candidates_are_each_items_and_give_every_rules_hits(rows, with_context, numbered_by_the_model):
    """A chunk at once, its tokens numbered by the matcher or (as in a scan) partly by the classifier."""
    from netral_cli.classifier import load_model
    from netral_cli.engines import model_input

    context = CONTEXT if with_context else None
    items = [new_item(platform="t", kind=kind, text=" ".join(texts), target=target, source_file="-", locator="-")
             for texts, kind, target in rows]
    matcher = MATCHERS[context]
    docs_of = [situated_docs(item, context, matcher.fields(item.kind))[1] for item in items]
    tokens, inputs = None, ()
    if numbered_by_the_model:
        inputs = [model_input(docs, item.kind) for item, docs in zip(items, docs_of)]
        tokens = load_model(None).features(inputs)[1].tokens
    found = matcher.chunk_candidates(docs_of, tokens, inputs)
    assert found == [matcher.candidates(docs) for docs in docs_of]
    assert [matcher.evaluate(item.kind, docs, None, candidates) for item, docs, candidates in zip(items, docs_of, found)] \
        == [evaluate(BOUND[context], item.kind, docs) for item, docs in zip(items, docs_of)]


def test_candidates_stay_right_when_the_token_numbers_start_afresh(monkeypatch):
    from netral_cli import tokens

    matcher = RuleMatcher(BOUND[CONTEXT])
    chunks = [TEXTS[i:i + 30] for i in range(0, 240, 30)]
    docs_of = [[situated_docs(new_item(platform="t", kind="post", text=text, source_file="-", locator="-"), CONTEXT)[1]
                for text in chunk] for chunk in chunks]
    expected = [matcher.chunk_candidates(docs) for docs in docs_of]
    table = tokens.TokenNumbers(limit=50)  # starts afresh every chunk or two
    monkeypatch.setattr(tokens, "_NUMBERS", table)
    generations = set()
    for docs, candidates in zip(docs_of, expected):
        assert matcher.chunk_candidates(docs) == candidates
        generations.add(table.generation)
    assert len(generations) >= 3 and sum(map(len, sum(expected, []))) > len(matcher.always) * 240
