"""Election contexts: loading and schema errors at file:line, account identifiers, stage on both sides
of the determination day, context flags without text, number gestures around the draw, quiet period."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import ROOT
from netral_cli.rules.context import (BAKAL_CALON, CALON, UNKNOWN, account_keys, bind_rules, docs_in_situation,
                                      load_context, read_context, situate)
from netral_cli.rules.engine import docs_for, evaluate, load_rules

PEMILU = ROOT / "rules" / "contexts" / "pemilu-2024.yaml"
TEMPLATE = ROOT / "rules" / "contexts" / "pilkada-template.yaml"
RULES = load_rules(ROOT / "rules")
WIB = timezone(timedelta(hours=7))

GOOD = """\
name: Pilkada Contoh
type: pilkada
region: Kabupaten Contoh
calendar:
  determination: 2024-09-22
  number_draw: 2024-09-23
  campaign: {start: 2024-09-25, end: 2024-11-23}
  quiet: {start: 2024-11-24, end: 2024-11-26}
  voting: 2024-11-27
tickets:
  - number: 1
    names: [Budi Contoh]
    gestures: ["☝️"]
  - number: 2
    names: [Agus Fiktif]
campaign_accounts:
  - {platform: instagram, handle: "@contoh.satu", ticket: 1}
"""


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def rule(rule_id: str):
    return next(r for r in RULES.active if r.id == rule_id)


def hits(rule_ids: list[str], context, timestamp, kind="post", **fields) -> list[str]:
    rules = bind_rules([rule(r) for r in rule_ids], context)
    situation = situate(context, timestamp)
    docs = docs_in_situation(docs_for({"text": fields.pop("text", ""), **fields}), situation)
    return [h.rule.id for h in evaluate(rules, kind, docs)]


# --- loading ------------------------------------------------------------------------------------------

def test_bundled_pemilu_2024_context():
    context = load_context(PEMILU)
    calendar = context.calendar
    assert (context.type, context.region) == ("pemilu", "Indonesia")
    assert (calendar.registration.start, calendar.registration.end) == (date(2023, 10, 19), date(2023, 10, 25))
    assert (calendar.determination, calendar.number_draw) == (date(2023, 11, 13), date(2023, 11, 14))
    assert (calendar.campaign.start, calendar.campaign.end) == (date(2023, 11, 28), date(2024, 2, 10))
    assert (calendar.quiet.start, calendar.quiet.end, calendar.voting) == (date(2024, 2, 11), date(2024, 2, 13),
                                                                            date(2024, 2, 14))
    assert [t.number for t in context.tickets] == [1, 2, 3]
    assert "AMIN" in context.tickets[0].nicknames and "Gerindra" in context.tickets[1].parties
    assert context.tickets[2].gestures == ("salam 3 jari", "salam tiga jari", "🤟")
    assert len(context.accounts) == 6


def test_pilkada_template_has_the_2024_pilkada_calendar():
    calendar = load_context(TEMPLATE).calendar
    assert [calendar.determination, calendar.number_draw, calendar.campaign.start, calendar.campaign.end,
            calendar.quiet.start, calendar.quiet.end, calendar.voting] == [
        date(2024, 9, 22), date(2024, 9, 23), date(2024, 9, 25), date(2024, 11, 23), date(2024, 11, 24),
        date(2024, 11, 26), date(2024, 11, 27)]


def test_load_rules_skips_the_contexts_folder():
    assert RULES.errors == ()
    folders = {Path(f).relative_to(ROOT / "rules").parts[0] for f in RULES.files}
    assert folders == {"skb"}


@pytest.mark.parametrize("broken, line, message", [
    (GOOD.replace("type: pilkada", "type: pilkades"), 2, "type: 'pilkades' is not one of ['pemilu', 'pilkada']"),
    (GOOD.replace("region: Kabupaten Contoh", "wilayah: Kabupaten Contoh"), 3, "unknown key 'wilayah'"),
    (GOOD.replace("  voting: 2024-11-27\n", ""), 4, "calendar: 'voting' is a required property"),
    (GOOD.replace("number_draw: 2024-09-23", "number_draw: 2024-09-31"), 6,
     "calendar.number_draw: '2024-09-31' is not a 'date'"),
    (GOOD.replace("    names: [Agus Fiktif]\n", ""), 14, "tickets[1]: 'names' is a required property"),
    (GOOD.replace("handle: \"@contoh.satu\"", "handle: \"contoh satu\""), 17,
     "campaign_accounts[0].handle: 'contoh satu' does not match"),
    (GOOD.replace("number_draw: 2024-09-23", "number_draw: 2024-09-21"), 6,
     "calendar.number_draw (2024-09-21) is before calendar.determination (2024-09-22)"),
    (GOOD.replace("quiet: {start: 2024-11-24, end: 2024-11-26}", "quiet: {start: 2024-11-26, end: 2024-11-24}"), 8,
     "calendar.quiet.end (2024-11-24) is before calendar.quiet.start (2024-11-26)"),
    (GOOD.replace("  - number: 2", "  - number: 1"), 14, "tickets[1].number: ticket 1 is defined twice"),
    (GOOD.replace("ticket: 1}", "ticket: 7}"), 17, "campaign_accounts[0].ticket: no ticket number 7"),
    (GOOD.replace("region: Kabupaten Contoh", "region: Kabupaten Contoh\nregion: Lain"), 4, "duplicate key 'region'"),
    (GOOD.replace("names: [Budi Contoh]", "names: [Budi Contoh"), 13, "invalid YAML"),
    (GOOD.replace("determination: 2024-09-22", "determination: 2024-09-22T10:00:00"), 5,
     "calendar.determination: '2024-09-22T10:00:00' is not a 'date'"),  # once, not again as a pattern
    (GOOD.replace("voting: 2024-11-27", "voting: 2024-02-30"), 9, "calendar.voting: '2024-02-30' is not a 'date'"),
    ("- " + GOOD.replace("\n", "\n  "), 1, "a context file must be a mapping of keys, not a list"),
    ("", 1, "a context file holds exactly one YAML document (found 0)"),
])
def test_broken_context_is_refused_at_its_line(tmp_path, broken, line, message):
    path = tmp_path / "konteks.yaml"
    path.write_text(broken, encoding="utf-8")
    context, problems = read_context(path)
    assert context is None
    assert len(problems) == 1, [str(p) for p in problems]
    assert str(problems[0]).startswith(f"{path}:{line}"), [str(p) for p in problems]
    assert message in str(problems[0])


def test_load_context_raises_the_first_problem_and_counts_the_rest(tmp_path):
    path = tmp_path / "konteks.yaml"
    path.write_text(GOOD.replace("type: pilkada", "type: x").replace("region: Kabupaten Contoh", "area: y"),
                    encoding="utf-8")
    with pytest.raises(Exception) as raised:
        load_context(path)
    assert str(raised.value) == f"{path}:2:1: type: 'x' is not one of ['pemilu', 'pilkada'] (and 1 more)"
    assert raised.value.exit_code == 2


# --- account identifiers --------------------------------------------------------------------------------

@pytest.mark.parametrize("a, b", [
    ("https://www.instagram.com/relawan.x/", "instagram.com/relawan.x"),
    ("https://www.instagram.com/relawan.x/", "@relawan.x"),
    ("instagram.com/Relawan.X", "@RELAWAN.X"),
    ("https://m.facebook.com/groups/contoh02?ref=share", "facebook.com/groups/contoh02/"),
    ("https://twitter.com/contoh_03", "x.com/contoh_03"),
    ("https://www.tiktok.com/@tim.contoh", "@tim.contoh"),
    ("Relawan  Contoh  Bersatu", "relawan contoh bersatu"),
    # a post or permalink inside a group names the group
    ("https://m.facebook.com/groups/contoh02/permalink/123/?ref=share", "https://facebook.com/groups/contoh02"),
])
def test_same_account_written_differently_shares_a_key(a, b):
    assert account_keys(a) & account_keys(b)


@pytest.mark.parametrize("a, b", [
    ("@relawan.x", "@relawan.xy"),
    ("instagram.com/relawan.x.kuliner", "@relawan.x"),
    ("facebook.com/groups/contoh02", "facebook.com/groups/contoh03"),
    ("facebook.com/groups/contoh02/permalink/1", "facebook.com/groups/contoh03"),
    ("Relawan Contoh", "relawan.contoh"),
])
def test_different_accounts_share_no_key(a, b):
    assert not account_keys(a) & account_keys(b)


@given(handle=st.from_regex(r"[a-z0-9_]{2,12}(\.[a-z0-9_]{1,8})?", fullmatch=True).filter(
           lambda h: h not in ("groups", "pages", "reel", "reels", "watch", "channel", "user", "video", "people", "share",
                               "stories", "events")),
       scheme=st.sampled_from(["", "http://", "https://"]), www=st.sampled_from(["", "www.", "m."]),
       slash=st.sampled_from(["", "/"]), upper=st.booleans())
def test_url_forms_of_a_handle_all_give_the_handle(handle, scheme, www, slash, upper):
    url = f"{scheme}{www}instagram.com/{handle}{slash}"
    assert f"@{handle}" in account_keys(url.upper() if upper else url)


# --- stage ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("timestamp, stage", [
    ("2023-11-12T23:59:59+07:00", BAKAL_CALON),
    ("2023-11-13T00:00:00+07:00", CALON),
    ("2023-11-12T16:59:59+00:00", BAKAL_CALON),   # 23:59:59 WIB
    ("2023-11-12T17:00:00+00:00", CALON),         # 00:00:00 WIB
    ("2023-11-13T00:59:59+08:00", BAKAL_CALON),   # WITA: 23:59:59 WIB the day before
    ("2023-11-13T01:00:00+08:00", CALON),
    ("2023-11-13T00:00:00", CALON),               # a naive time is read as Asia/Jakarta
])
def test_stage_on_both_sides_of_the_determination_day(timestamp, stage):
    assert load_context(PEMILU).stage_at(at(timestamp)) == stage


def test_stage_is_unknown_without_context_or_timestamp():
    assert load_context(PEMILU).stage_at(None) == UNKNOWN
    assert situate(None, at("2024-01-01T00:00:00+07:00")).stage == UNKNOWN


@pytest.mark.parametrize("rule_id, stage, items", [
    ("a4b6.interaksi-akun-kampanye", BAKAL_CALON, "A4"),
    ("a4b6.interaksi-akun-kampanye", CALON, "B6"),
    ("a4b6.interaksi-akun-kampanye", UNKNOWN, "A4/B6"),
    ("b5.anggota-pengurus-partai", BAKAL_CALON, "B5"),
    ("b9b10.tim-pemenangan", BAKAL_CALON, "B9"),
    ("b3.mendaftar-bakal-calon", BAKAL_CALON, "B3"),
    ("a7.kampanye-pasangan-calon-suami-istri", CALON, "A7"),
    ("a6.kegiatan-bakal-calon", CALON, "B4"),
])
def test_rule_yields_the_skb_item_of_the_stage(rule_id, stage, items):
    assert rule(rule_id).skb_items(stage) == items


# --- context flags --------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, fields", [
    ("reaction", {"target": "https://www.instagram.com/relawan.contoh01/"}),
    ("follow", {"target": "@Relawan.Contoh01"}),
    ("group_join", {"group": "grup contoh pemenangan kosong dua desa fiktif"}),
    ("group_join", {"target": "https://facebook.com/groups/contohpemenangan02/"}),
    ("like", {"target": "https://www.tiktok.com/@tim.contoh.gemoy02/video/7300000000000000001"}),
    ("share", {"target": "x.com/contoh_satset03"}),
])
def test_interaction_with_a_campaign_account_without_text_is_flagged_only_with_a_context(kind, fields):
    context = load_context(PEMILU)
    when = at("2024-01-10T10:00:00+07:00")
    assert hits(["a4b6.konteks-akun-kampanye"], context, when, kind, **fields) == ["a4b6.konteks-akun-kampanye"]
    assert hits(["a4b6.konteks-akun-kampanye"], None, when, kind, **fields) == []


def test_evidence_names_the_matched_campaign_account():
    context = load_context(PEMILU)
    rules = bind_rules([rule("a4b6.konteks-akun-kampanye")], context)
    (hit,) = evaluate(rules, "follow", docs_for({"target": "https://www.instagram.com/relawan.contoh01/"}))
    (evidence,) = hit.evidence
    assert (evidence.field, evidence.text) == ("target", "https://www.instagram.com/relawan.contoh01/")
    assert evidence.note == "akun kampanye @relawan.contoh01 (instagram account, tiket 01)"


def test_context_conditions_match_nothing_without_a_context():
    text = "Bismillah #KawalPerubahan"
    assert hits(["a2b2.konteks-tiket"], None, None, text=text) == []
    assert hits(["a2b2.konteks-tiket"], load_context(PEMILU), None, text=text) == ["a2b2.konteks-tiket"]


@pytest.mark.parametrize("timestamp, fired", [
    ("2023-11-13T23:59:59+07:00", []),
    ("2023-11-14T00:00:00+07:00", ["a2b2.konteks-tiket"]),
    ("2023-11-13T16:59:59+00:00", []),
    ("2023-11-13T17:00:00+00:00", ["a2b2.konteks-tiket"]),
])
def test_number_gestures_count_only_from_the_number_draw(timestamp, fired):
    context = load_context(PEMILU)
    assert hits(["a2b2.konteks-tiket"], context, at(timestamp), text="Salam hangat buat Cak Imin ☝️") == fired


def test_before_the_draw_number_gestures_are_masked_for_every_rule():
    text = "Akhirnya bisa foto bareng Pak Prabowo di Semarang ✌️✌️"
    before, after = at("2023-11-10T10:00:00+07:00"), at("2023-11-20T10:00:00+07:00")
    context = load_context(PEMILU)
    assert hits(["a5b7.foto-gestur-calon"], context, before, text=text) == []
    assert hits(["a5b7.foto-gestur-calon"], context, after, text=text) == ["a5b7.foto-gestur-calon"]
    assert hits(["a5b7.foto-gestur-calon"], None, before, text=text) == ["a5b7.foto-gestur-calon"]
    assert hits(["a5b7.foto-gestur-calon"], context, None, text=text) == ["a5b7.foto-gestur-calon"]


@pytest.mark.parametrize("timestamp, quiet", [
    ("2024-02-10T23:59:59+07:00", False),
    ("2024-02-11T00:00:00+07:00", True),
    ("2024-02-13T23:59:59+07:00", True),
    ("2024-02-14T00:00:00+07:00", False),
    ("2024-02-10T17:00:00+00:00", True),
])
def test_quiet_period_covers_its_first_and_last_day_in_jakarta_time(timestamp, quiet):
    assert situate(load_context(PEMILU), at(timestamp)).quiet is quiet


def test_library_scan_takes_a_loaded_context(tmp_path):
    from netral_cli import ScanOptions, scan

    data = tmp_path / "likes.jsonl"
    data.write_text('{"kind": "follow", "text": "", "target": "@relawan.contoh01", '
                    '"timestamp": "2023-11-12T23:59:59+07:00"}\n', encoding="utf-8")
    (record,) = scan([data], ScanOptions(context=load_context(PEMILU), include_all=True)).records
    assert (record["stage"], record["skb"]) == ("bakal_calon", ["A4"])
    assert record["rules"] == ["a4b6.interaksi-akun-kampanye", "a4b6.konteks-akun-kampanye"]
