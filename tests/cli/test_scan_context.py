"""`netral scan --context` and `netral explain --context` through CliRunner: ranks, SKB items, stages,
context flags, quiet-period weight, and context files refused with exit 2 at their line."""

from __future__ import annotations

import json

from helpers import ROOT, invoke

CONTEXT = str(ROOT / "rules" / "contexts" / "pemilu-2024.yaml")
ITEMS = str(ROOT / "tests" / "fixtures" / "contexts" / "items.jsonl")


def _scan(*extra: str) -> list[dict]:
    result = invoke("scan", ITEMS, "--all", *extra)
    assert result.exit_code == 0, result.stderr
    assert "read 10, scored 10, rejected 0" in result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_scan_with_context_ranks_stages_and_skb_items():
    records = _scan("--context", CONTEXT)
    table = [(r["rank"], r["locator"], r["stage"], r["skb"], r["rules"]) for r in records]
    assert table == [
        (1, "line=5", "calon", ["B2", "B7"], ["a2b2.konteks-tiket", "a2b2.slogan-tagar-paslon", "a5b7.foto-gestur-calon"]),
        (2, "line=8", "bakal_calon", ["B5"], ["b5.anggota-pengurus-partai", "b5.kepengurusan-partai"]),
        (3, "line=4", "calon", [], []),
        (4, "line=2", "calon", ["B6"], ["a4b6.interaksi-akun-kampanye", "a4b6.konteks-akun-kampanye"]),
        (5, "line=1", "bakal_calon", ["A4"], ["a4b6.interaksi-akun-kampanye", "a4b6.konteks-akun-kampanye"]),
        (6, "line=6", "calon", ["B6"], ["a4b6.konteks-akun-kampanye"]),
        (7, "line=3", "calon", ["B6"], ["a4b6.interaksi-akun-kampanye", "a4b6.konteks-akun-kampanye"]),
        (8, "line=7", "calon", ["B6"], ["a4b6.konteks-akun-kampanye"]),
        (9, "line=10", "unknown", [], []),
        (10, "line=9", "calon", [], []),
    ]


def test_scan_without_context_has_unknown_stage_and_no_context_flags():
    records = {r["locator"]: r for r in _scan()}
    assert {r["stage"] for r in records.values()} == {"unknown"}
    # the handle "relawan.contoh01" reads as a campaign account by name alone; the context rules stay silent
    assert records["line=1"]["rules"] == ["a4b6.interaksi-akun-kampanye"] and records["line=6"]["rules"] == []
    assert records["line=2"]["skb"] == ["A4/B6"]
    # before the number draw (line 4, 13 Nov 2023) the ☝️ is still read as a gesture without a context
    assert records["line=4"]["rules"] == ["a2b2.slogan-tagar-paslon", "a5b7.foto-gestur-calon"]


def test_evidence_names_the_campaign_account_and_the_quiet_period():
    records = {r["locator"]: r for r in _scan("--context", CONTEXT)}
    (quiet, model) = records["line=6"]["evidence"]
    assert model["rule"] == "model"
    assert quiet["skb"] == "B6"
    assert quiet["reason"] == (
        "Berinteraksi dengan akun, halaman atau grup kampanye yang terdaftar di konteks pemilu (SKB 2/2022 B6): "
        "\u201chttps://www.tiktok.com/@tim.contoh.gemoy02/video/7300000000000000001\u201d = akun kampanye "
        "@tim.contoh.gemoy02 (tiktok account, tiket 02); masa tenang (bobot aturan x2)")
    before = next(e for e in records["line=1"]["evidence"] if e["rule"] == "a4b6.konteks-akun-kampanye")
    assert before["reason"].endswith("= akun kampanye @relawan.contoh01 (instagram account, tiket 01)")


def test_quiet_period_like_outranks_the_same_like_a_month_earlier():
    records = {r["locator"]: r for r in _scan("--context", CONTEXT)}
    quiet, earlier = records["line=6"], records["line=7"]
    assert quiet["rules"] == earlier["rules"] == ["a4b6.konteks-akun-kampanye"]
    assert quiet["rank"] < earlier["rank"]
    assert quiet["score"] > earlier["score"]


def test_invalid_context_exits_2_with_file_and_line(tmp_path):
    bad = tmp_path / "konteks.yaml"
    bad.write_text((ROOT / "rules" / "contexts" / "pilkada-template.yaml").read_text(encoding="utf-8")
                   .replace("type: pilkada ", "type: pilpres "), encoding="utf-8")
    result = invoke("scan", ITEMS, "--context", str(bad))
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Error: {bad}:6:1: type: 'pilpres' is not one of ['pemilu', 'pilkada']"
    assert result.stdout == ""


def test_missing_context_file_exits_2(tmp_path):
    result = invoke("explain", "halo", "--context", str(tmp_path / "tidak-ada.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'tidak-ada.yaml'}: no such context file\n"


def test_explain_with_context_shows_stage_and_the_matched_account():
    item = json.dumps({"kind": "follow", "text": "", "target": "https://www.instagram.com/relawan.contoh01/",
                       "timestamp": "2024-02-12T08:00:00+07:00"})
    result = invoke("explain", "--item-json", item, "--context", CONTEXT)
    assert result.exit_code == 0, result.stderr
    assert "stage      : calon (masa tenang)" in result.stdout
    assert ("rule       : a4b6.konteks-akun-kampanye (B6, medium) \u201chttps://www.instagram.com/relawan.contoh01/\u201d "
            "[0:43] = akun kampanye @relawan.contoh01 (instagram account, tiket 01)") in result.stdout


def test_explain_timestamp_option_decides_the_stage():
    before = json.loads(invoke("explain", "Resmi dilantik jadi Sekretaris DPC PKB", "--context", CONTEXT,
                               "--timestamp", "2023-11-12T23:59:59+07:00", "--json").stdout)
    after = json.loads(invoke("explain", "Resmi dilantik jadi Sekretaris DPC PKB", "--context", CONTEXT,
                              "--timestamp", "2023-11-13T00:00:00+07:00", "--json").stdout)
    assert (before["stage"], after["stage"]) == ("bakal_calon", "calon")
    assert before["rules"][0]["skb"] == after["rules"][0]["skb"] == "B5"


def test_before_the_number_draw_the_model_reads_gestures_masked_too():
    def explained(timestamp: str) -> dict:
        return json.loads(invoke("explain", "Semangat pagi ✌️✌️", "--context", CONTEXT, "--timestamp", timestamp,
                                 "--json").stdout)

    before, after = explained("2023-11-13T23:59:59+07:00"), explained("2023-11-14T00:00:00+07:00")
    assert (before["normalised"], after["normalised"]) == ("semangat pagi gestur_jari gestur_jari",
                                                           "semangat pagi gestur_2_jari gestur_2_jari")
    assert before["model_score"] < after["model_score"]


def test_explain_refuses_a_bad_timestamp_with_exit_1():
    result = invoke("explain", "halo", "--timestamp", "kemarin sore")
    assert result.exit_code == 1
    assert "Error: --timestamp: unreadable timestamp 'kemarin sore'" in result.stderr


def test_rules_validate_checks_the_context_files_of_a_rule_folder(tmp_path):
    (tmp_path / "contexts").mkdir()
    good = (ROOT / "rules" / "contexts" / "pemilu-2024.yaml").read_text(encoding="utf-8")
    (tmp_path / "contexts" / "ok.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "contexts" / "rusak.yaml").write_text(good.replace("  voting: 2024-02-14", "  voting: 2024-02-10"),
                                                      encoding="utf-8")
    (tmp_path / "a.yaml").write_text((ROOT / "rules" / "skb" / "b5-anggota-pengurus-partai.yaml")
                                     .read_text(encoding="utf-8"), encoding="utf-8")
    result = invoke("rules", "validate", str(tmp_path))
    assert result.exit_code == 2
    assert result.stdout.strip() == (f"{tmp_path / 'contexts' / 'rusak.yaml'}:17: error [context] calendar.voting "
                                     "(2024-02-10) is before calendar.quiet.end (2024-02-13)")
    assert result.stderr.strip() == "1 rule(s) in 1 file(s): 1 error(s), 0 warning(s)"
