"""The "Cite this source" block of an entry page (`{% cite_blocks item as blocks %}`),
so the entry view stays as it is: the block is made from the entry and snapshots the
view already fetched, without another query."""

from __future__ import annotations

from django import template

from lantern.web.cite_views import StyleBlock, entry_cite_blocks
from lantern.web.pages import ListedEntry

register = template.Library()


@register.simple_tag
def cite_blocks(item: ListedEntry) -> list[StyleBlock]:
    return entry_cite_blocks(item.entry, item.snapshots)
