"""A Meta export's records are its owner's own activity: the owner, named in the zip or folder name, is
their account."""

from __future__ import annotations

import json
import zipfile

import pytest

from netral_cli.ingest import read
from netral_cli.ingest.meta import export_owner
from netral_cli.items import Item


@pytest.mark.parametrize(("name", "owner"), [
    ("facebook-budi.santoso.guru-20_01_2024-Xk3pQ9.zip!your_facebook_activity/posts/p.json", "budi.santoso.guru"),
    ("exports/instagram-siti.rahma_guru-2024-01-20-AbCdEf/connections/following.json", "siti.rahma_guru"),
    ("instagram-andi_w-20240120-Zz9.zip!likes/liked_posts.json", "andi_w"),
    ("facebook_activity_2024/comments.json", None),
    ("facebook-budi.zip!comments.json", None),  # no date and no download id: not Meta's naming
])
def test_the_owner_is_read_from_the_export_name(name, owner):
    assert export_owner(name) == owner


def test_items_of_a_named_facebook_zip_carry_its_owner_as_account(tmp_path):
    archive = tmp_path / "facebook-budi.santoso.guru-20_01_2024-Xk3pQ9.zip"
    comments = {"comments_v2": [{"timestamp": 1705311000, "title": "Budi Santoso commented on Rina's post.",
                                 "data": [{"comment": {"timestamp": 1705311000, "comment": "mantap",
                                                       "author": "Budi Santoso"}}]}]}
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("your_facebook_activity/comments_and_reactions/comments.json", json.dumps(comments))
    [item] = [r for r in read([archive]) if isinstance(r, Item)]
    assert (item.platform, item.kind, item.author, item.account) == ("facebook", "comment", "Budi Santoso",
                                                                     "budi.santoso.guru")
