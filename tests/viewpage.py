"""The data a view page embeds, as the tests read it."""

from __future__ import annotations

import json
import re


def page_data(html: str) -> dict:
    """The JSON the page embeds for its script, with the panel's block merged in and mention
    edges' short predicate keys expanded."""
    m = re.search(r'<script type="application/json" id="govkg-data">(.*?)</script>', html, re.S)
    assert m, "no embedded graph data"
    data = json.loads(m.group(1))
    # the panel's data has its own block, parsed by the page on the first click
    panel = re.search(r'<script type="application/json" id="govkg-panel">(.*?)</script>', html, re.S)
    assert panel, "no embedded panel data"
    data.update(json.loads(panel.group(1)))
    for e in data["edges"]:  # mention edges carry a short predicate key
        e["pred"] = data["predKeys"].get(e["pred"], e["pred"])
    return data
