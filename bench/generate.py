"""A synthetic corpus of Indonesian social-media items for benchmarking ``netral scan``.

    python bench/generate.py 1000000 --format jsonl -o corpus.jsonl --seed 1

Words are drawn from a Zipf distribution over a vocabulary built from the Sastrawi root list with
Indonesian affixes (meN-, ber-, di-, ter-, peN-, -kan, -an, -nya, -i, ke-an, reduplication) and
salted with slang, elongations, typos, invented person and place names, hashtags, mentions, URLs
(example domains), emoji and numbers. A few percent of the items are neutrality violations
(campaign appeals, ballot numbers, finger gestures). Items are written as they are made (constant
memory) and the corpus is the same for the same seed and size. All text is invented.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from importlib import resources
from pathlib import Path

import numpy as np

ZIPF_EXPONENT = 1.1
BLOCK = 4096  # items generated per block of random draws (fixed: the corpus depends on it)
VIOLATION_SHARE = 0.03
FIELDS = ("text", "author", "account", "created_at", "platform", "kind", "url")

FUNCTION_WORDS = (
    "yang di dan ini itu ke dari untuk dengan ada tidak saya kita kami mereka juga sudah akan bisa "
    "karena pada dalam jadi kalau tapi atau lagi masih harus biar sama aja ya kok sih deh dong loh "
    "nih tuh banget semua orang hari baru mau buat udah pak bu mas mbak kak bang om tante teman"
).split()
SLANG = (
    "gw gue gua lu lo elu bgt yg gak ga nggak gk udh udah dah aja aj dgn sm tp jd krn bs dr klo kalo "
    "emg emang wkwk wkwkwk btw otw gpp ngga org sy km kmu bkn blm jgn utk tdk sdh lg skrg bener bnr "
    "mantul gaes guys cuy bro sis anjay santuy gabut baper mager kepo japri"
).split()
FIRST_NAMES = (
    "Budi Sari Agus Rina Dimas Wulan Rudi Ayu Hendra Fitri Joko Dewi Bayu Putri Eko Intan Fajar Lestari "
    "Galih Maya Hadi Nanda Iwan Okta Yoga Ratna Slamet Tika Umar Vina Wahyu Yanti Zaki Citra Dani Eka "
    "Ferry Gita Heru Indah Kurnia Lina Made Nyoman Ketut Wayan Ucok Butet Asep Euis Cecep Neng Teguh "
    "Siti Ahmad Harun Bagus Retno Sekar Anisa Rizky Arief"
).split()
LAST_NAMES = (
    "Santoso Wulandari Pratama Saputra Lestari Hidayat Kusuma Nugroho Siregar Nasution Hutapea Simanjuntak "
    "Wibowo Setiawan Purnomo Rahmawati Permana Gunawan Harahap Lubis Tanjung Situmorang Pangaribuan "
    "Sembiring Ginting Tarigan Manurung Sitompul Hasibuan Daulay Rangkuti Pohan Batubara Sinaga Panjaitan "
    "Wijaya Halim Susanto Prasetyo Handoko Firmansyah Ramadhan Maulana Syahputra Anggraini Puspita"
).split()
PLACES = (
    "Sidorejo Sukamaju Tanjungsari Karanganyar Sumberwaras Wonosari Margajaya Cibodas Sukadana Pasirluhur "
    "Kedungwringin Bojonegoro Purwodadi Tegalrejo Mekarsari Suka-Makmur Batusangkar Pematangsiantar "
    "Balikpapan Banjarbaru Palangkaraya Kupang Ternate Sorong Manokwari Jayapura Mataram Bima Denpasar "
    "Singaraja Cirebon Tasikmalaya Garut Sukabumi Purwakarta Karawang Bekasi Depok Bogor Serang Cilegon "
    "Lampung Palembang Jambi Bengkulu Padang Pekanbaru Medan Aceh Makassar Kendari Palu Gorontalo Manado"
).split()
PARTIES = "Gerindra PDIP Golkar PKB NasDem PKS PAN Demokrat Perindo PSI Hanura Gelora".split()
PLATFORMS = ("twitter", "facebook", "instagram", "tiktok")
KINDS = ("post", "post", "post", "comment", "comment", "share")
EMOJI = "😂 🙏 🔥 👍 ❤️ 😍 😭 🤣 💪 👏 😊 🥰 😎 🤔 🙄 😅 ✨ 🎉 💯 🇮🇩 😡 🤲 🌹 ☕".split()
GESTURES = ("☝️", "✌️", "🤟", "✌🏼", "☝🏻", "🤟🏽")
VIOLATIONS = (
    "Ayo coblos paslon nomor {n}, {name} pasti menang! {gesture}",
    "Jgn lupa tgl 14 coblos nomor urut {n} ya gaes {emoji} #Pilih{name_tag}",
    "Salam {n_word} jari {gesture} dukung {name} jadi bupati {place}",
    "Mohon doa dan dukungan, caleg {party} nomor urut {n} dapil {place} {emoji}",
    "Pilih nomor 0{n} ya bapak ibu, demi {place} yang lebih maju #{party}Menang",
    "Rapatkan barisan! Kita menangkan {name} nomor {n} di Pilkada {place} {gesture}",
    "Yuk all in {n_word} jari, {name} presiden kita {emoji} #AllIn{name_tag}",
    "Titip suaranya ya, cagub nomor {n} Pak {name} putra daerah {place}",
)
NUMBER_WORDS = {1: "satu", 2: "dua", 3: "tiga"}

_NASAL = {"b": "mem", "f": "mem", "v": "mem", "p": "mem", "d": "men", "c": "men", "j": "men", "z": "men",
          "t": "men", "s": "meny", "k": "meng", "g": "meng", "h": "meng"}
_DROPPED = frozenset("ptsk")


def roots() -> list[str]:
    """The Sastrawi root list (shipped with PySastrawi), alphabetic entries only."""
    text = resources.files("Sastrawi.Stemmer").joinpath("data/kata-dasar.txt").read_text("utf-8")
    return sorted({w for w in text.split() if w.isalpha() and len(w) > 2})


def nasal(prefix: str, root: str) -> str:
    """``meN-``/``peN-`` + root with nasal assimilation: me+pilih -> memilih, pe+kirim -> pengirim."""
    first = root[0]
    if first in "aiueo":
        head = "meng"
    elif first in "lmnrwy":
        head = "me"
    else:
        head = _NASAL.get(first, "me")
    body = root[1:] if first in _DROPPED and len(root) > 3 and root[1] in "aiueo" else root
    return prefix + head[2:] + body


AFFIXES = (
    lambda r: nasal("me", r), lambda r: "ber" + r, lambda r: "di" + r, lambda r: "ter" + r,
    lambda r: nasal("pe", r), lambda r: r + "kan", lambda r: r + "an", lambda r: r + "nya", lambda r: r + "i",
    lambda r: "di" + r + "kan", lambda r: nasal("me", r) + "kan", lambda r: nasal("pe", r) + "an",
    lambda r: "ke" + r + "an", lambda r: "ber" + r + "an", lambda r: r + "-" + r, lambda r: "di" + r + "nya",
    lambda r: nasal("me", r) + "i", lambda r: "se" + r + "nya",
)


def vocabulary(rng: random.Random) -> list[str]:
    """Word forms in Zipf rank order: function words and slang first, then roots and derived forms."""
    base = roots()
    forms: list[str] = []
    for root in base:
        forms.append(root)
        forms.extend(affix(root) for affix in rng.sample(AFFIXES, rng.randint(3, 9)))
    forms.extend(name.lower() for name in FIRST_NAMES + LAST_NAMES + PLACES)
    rng.shuffle(forms)
    head = FUNCTION_WORDS + SLANG
    seen = set(head)
    return head + [f for f in forms if not (f in seen or seen.add(f))]


def zipf_cdf(size: int, exponent: float = ZIPF_EXPONENT) -> np.ndarray:
    weights = 1.0 / np.arange(1, size + 1, dtype=np.float64) ** exponent
    cdf = np.cumsum(weights)
    return cdf / cdf[-1]


class Corpus:
    """Deterministic item maker; :meth:`items` yields ``n`` records."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.np_rng = np.random.Generator(np.random.PCG64(seed))
        self.words = vocabulary(self.rng)
        self.cdf = zipf_cdf(len(self.words))
        self.hashtags = self._hashtag_pool(20_000)
        self.hashtag_cdf = zipf_cdf(len(self.hashtags), 1.1)
        self.accounts = [self._account() for _ in range(50_000)]
        self.start = datetime(2024, 1, 1, tzinfo=timezone(timedelta(hours=7)))

    def _hashtag_pool(self, size: int) -> list[str]:
        pool = []
        for _ in range(size):
            parts = [self.words[int(i)] for i in self._ranks(self.rng.randint(2, 3))]
            parts = [p.replace("-", "") for p in parts]
            pool.append("".join(p.capitalize() for p in parts) if self.rng.random() < 0.6 else "".join(parts))
        return pool

    def _ranks(self, count: int) -> np.ndarray:
        return np.searchsorted(self.cdf, self.np_rng.random(count), side="right")

    def _account(self) -> tuple[str, str]:
        first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
        handle = f"{first.lower()}{self.rng.choice(['', '_', '.'])}{last.lower()[:self.rng.randint(1, 6)]}"
        return f"{first} {last}", handle + (str(self.rng.randint(1, 999)) if self.rng.random() < 0.5 else "")

    def items(self, n: int) -> Iterator[dict[str, str]]:
        made = 0
        while made < n:
            count = min(BLOCK, n - made)
            lengths = self.np_rng.integers(4, 36, size=count)
            ranks = iter(self._ranks(int(lengths.sum())).tolist())
            for length in lengths.tolist():
                yield self._item(made, [self.words[next(ranks)] for _ in range(length)])
                made += 1

    def _item(self, index: int, words: list[str]) -> dict[str, str]:
        rng = self.rng
        author, account = rng.choice(self.accounts)
        text = self._violation() if rng.random() < VIOLATION_SHARE else self._text(words)
        created = self.start + timedelta(seconds=index * 7 + rng.randint(0, 6))
        platform = rng.choice(PLATFORMS)
        return {"text": text, "author": author, "account": account, "created_at": created.isoformat(),
                "platform": platform, "kind": rng.choice(KINDS),
                "url": f"https://{platform}.example.com/{account}/status/{10_000_000 + index}"}

    def _text(self, words: list[str]) -> str:
        rng = self.rng
        out = [self._decorate(w) for w in words]
        for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
            out.insert(rng.randrange(len(out) + 1), self._extra())
        if rng.random() < 0.5:
            out[0] = out[0].capitalize()
        text = " ".join(out)
        return text + rng.choice(("", "", ".", "!", "?", "!!", " 😂", "...", " wkwk"))

    def _decorate(self, word: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.04:
            return rng.choice(SLANG)
        if roll < 0.05:
            return _elongate(word, rng)
        if roll < 0.07:
            return _typo(word, rng)
        if roll < 0.08:
            return word.upper()
        if roll < 0.10:
            return word + rng.choice((",", ",", ".", "!", "?", ":"))
        return word

    def _extra(self) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.3:
            index = int(np.searchsorted(self.hashtag_cdf, self.np_rng.random(), side="right"))
            return "#" + self.hashtags[index]
        if roll < 0.45:
            return "@" + rng.choice(self.accounts)[1]
        if roll < 0.55:
            return f"https://www.example.com/{rng.choice(('berita', 'p', 'video'))}/{rng.randint(1, 10**6)}"
        if roll < 0.75:
            return rng.choice(EMOJI) * rng.choice((1, 1, 2, 3))
        if roll < 0.85:
            return rng.choice((f"{rng.randint(1, 500)}rb", str(rng.randint(1, 2030)),
                               f"{rng.randint(0, 23):02d}.{rng.randint(0, 59):02d}", f"{rng.randint(1, 28)}/{rng.randint(1, 12)}"))
        if roll < 0.95:
            return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" if rng.random() < 0.6 else rng.choice(PLACES)
        return rng.choice(("Pak", "Bu", "Kak", "Mas")) + " " + rng.choice(FIRST_NAMES)

    def _violation(self) -> str:
        rng = self.rng
        n = rng.randint(1, 3)
        name = rng.choice(FIRST_NAMES)
        return rng.choice(VIOLATIONS).format(
            n=n, n_word=NUMBER_WORDS[n], name=f"{name} {rng.choice(LAST_NAMES)}", name_tag=name,
            place=rng.choice(PLACES), party=rng.choice(PARTIES), emoji=rng.choice(EMOJI),
            gesture=rng.choice(GESTURES))


def _elongate(word: str, rng: random.Random) -> str:
    vowels = [i for i, ch in enumerate(word) if ch in "aiueo"]
    if not vowels:
        return word
    i = vowels[-1]
    return word[:i] + word[i] * rng.randint(3, 6) + word[i + 1:]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + rng.choice("aiueonkrst") + word[i:]


_COUNT_RE = re.compile(r"[^\W_]+")


def write(n: int, fmt: str, output: Path, seed: int) -> int:
    """Write ``n`` items; returns the number of distinct lowercase word tokens in their texts."""
    distinct: set[str] = set()
    corpus = Corpus(seed)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, FIELDS) if fmt == "csv" else None
        if writer:
            writer.writeheader()
        for item in corpus.items(n):
            distinct.update(_COUNT_RE.findall(item["text"].lower()))
            if writer:
                writer.writerow(item)
            else:
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    return len(distinct)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of items")
    parser.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    parser.add_argument("-o", "--output", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    distinct = write(args.n, args.format, args.output, args.seed)
    print(f"{args.n} items, {distinct} distinct tokens -> {args.output}", file=sys.stderr)
    print(distinct)
    return 0


if __name__ == "__main__":
    sys.exit(main())
