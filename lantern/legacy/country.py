"""Country pages and their relatives (street-children pages, archive continuations,
topic pages): official name, background with its Factbook citation, TIP summary,
caution and guidance, help-lines, then entries in sections. Pure."""

from __future__ import annotations

import re

from lantern.core.text import clean_space, slugify_ascii
from lantern.legacy import patterns as P
from lantern.legacy.document import Line
from lantern.legacy.entries import anchor_kind, build_entries, find_entry_starts
from lantern.legacy.furniture import (
    cite_country,
    footer_start,
    take_footer,
    take_header,
)
from lantern.legacy.parser import (
    KIND_ARCHIVE,
    KIND_COUNTRY,
    KIND_STREET,
    KIND_TOPIC,
    PageContext,
    ParsedGuidance,
    ParsedHelpline,
    ParsedProfile,
)


def parse_country_like(ctx: PageContext) -> None:
    """Country, street-children, archive-continuation and topic pages: header, intro
    blocks, entries grouped in sections (and by country on topic pages), footer."""
    page, lines, ledger = ctx.page, ctx.lines, ctx.ledger
    if page.kind in {KIND_STREET} or (
        page.kind == KIND_ARCHIVE
        and any(P.STREET_SUBTITLE.search(x.text) for x in lines[:40])
    ):
        page.collection = "street-children"
    i = take_header(ctx)
    footer = footer_start(lines, i)
    page.country = cite_country(ctx, " ".join(x.text for x in lines[footer:]))
    profile = ParsedProfile()

    if page.kind == KIND_TOPIC and i < footer and not anchor_kind(lines[i]):
        page.topic_title = lines[i].text
        ledger.block(lines[i], "topic_title")
        i += 1

    # Official name: a short line naming a country (or styled like a state's name),
    # right after the header; a stray line before it stays unparsed.
    if page.kind != KIND_TOPIC:
        for j in range(i, min(i + 3, footer)):
            if _is_official_name(ctx, lines[j]):
                profile.official_name = lines[j].text
                ledger.take(lines[j], "profile.official_name")
                page.country = page.country or ctx.country_of(lines[j].text)
                i = j + 1
                break
            text = lines[j].text
            if (
                P.ends_like_sentence(text)
                or anchor_kind(lines[j])
                or (P.ARCHIVES_HEADING.match(text) or P.FEATURED_HEADING.match(text))
            ):
                break

    barrier_kinds: dict[int, str] = {}
    archive_from: int | None = None
    for j in range(i, footer):
        text = lines[j].text
        match = P.ARCHIVES_HEADING.match(text)
        if match:
            barrier_kinds[j] = "archives"
            if archive_from is None:
                archive_from = j
            if match["part"]:
                page.part = int(match["part"])
        elif P.FEATURED_HEADING.match(text):
            barrier_kinds[j] = "featured"
        elif (
            page.kind == KIND_TOPIC
            and not anchor_kind(lines[j])
            and ctx.country_of(text)
        ):
            barrier_kinds[j] = "country_heading"

    first_anchor = next(
        (j for j in range(i, footer) if anchor_kind(lines[j]) or j in barrier_kinds),
        footer,
    )
    boiler = {
        j: kind
        for j in range(i, first_anchor)
        if (kind := _boilerplate_kind(lines[j].text)) is not None
    }
    help_at = next((j for j, k in sorted(boiler.items()) if k == "help"), None)
    zone_start = max(boiler) + 1 if boiler else i

    def barrier(j: int) -> bool:
        return j in barrier_kinds or j < zone_start or j >= footer

    starts = find_entry_starts(lines[:footer], barrier)
    first_entry = starts[0][0] if starts else footer
    if not boiler:
        # No furniture between intro and entries: the intro ends at the first entry
        # or section heading.
        first_heading = min(barrier_kinds, default=footer)
        intro_end = min(first_entry, first_heading)
    else:
        intro_end = min(boiler)
    _parse_intro(ctx, lines[i:intro_end], profile)
    if boiler:
        _parse_boilerplate(ctx, boiler, min(boiler), zone_start)
    if help_at is not None:
        end = first_entry
        headings_after = [j for j in barrier_kinds if j > help_at]
        if headings_after:
            end = min(end, min(headings_after))
        _parse_help(ctx, lines[help_at + 1 : end])

    def section_at(j: int) -> str:
        if page.kind == KIND_ARCHIVE:
            return "archive"
        return "archive" if archive_from is not None and j > archive_from else "current"

    def country_at(j: int) -> str | None:
        headings = [
            k
            for k, kind in barrier_kinds.items()
            if kind == "country_heading" and k < j
        ]
        return ctx.country_of(lines[max(headings)].text) if headings else None

    page.entries = build_entries(
        lines,
        starts,
        section_at=section_at,
        country_at=country_at,
        barrier=lambda j: barrier(j) or j >= footer,
        ledger=ledger,
        known_publishers=ctx.known_publishers,
    )
    for j, kind in barrier_kinds.items():
        ledger.block(lines[j], kind)
    take_footer(ctx, footer)
    for index, entry in enumerate(page.entries):
        for number in entry.helpline_numbers:
            page.helplines.append(
                ParsedHelpline("", number, line=entry.first_line, entry_index=index)
            )
    if page.kind in {KIND_COUNTRY, KIND_STREET} and not profile.is_empty():
        page.profile = profile
    _set_identity(ctx)


def _is_official_name(ctx: PageContext, line: Line) -> bool:
    text = line.text
    if len(text) > 120 or P.ends_like_sentence(text) or anchor_kind(line):
        return False
    if (
        _boilerplate_kind(text)
        or P.ARCHIVES_HEADING.match(text)
        or P.IMAGE_ALT.match(text)
    ):
        return False
    if ctx.country_of(text):
        return True
    return not re.search(r"[\d,]", text) and bool(
        re.search(
            r"\b(republic|kingdom|state|states|federation|commonwealth|union|emirates|"
            r"principality|sultanate|islands|democratic|federal|people'?s|"
            r"grand duchy|confederation|territory)\b",
            text,
            re.I,
        )
    )


def _boilerplate_kind(text: str) -> str | None:
    if P.CAUTION.match(text):
        return "caution"
    if P.HELP_HEADING.match(text):
        return "help"
    if P.HOW_TO_USE.match(text):
        return "how_to_use"
    if P.AUDIENCE_HEADING.match(text):
        return "audience"
    if P.TERM_PAPER.search(text) and len(text) < 1500:
        return "term_paper"
    if P.TEACHERS_LINK.search(text) and len(text) < 300:
        return "teachers_link"
    return None


def _parse_intro(ctx: PageContext, lines: list[Line], profile: ParsedProfile) -> None:
    """Background (with its Factbook citation), image alt text, TIP summary."""
    ledger, page = ctx.ledger, ctx.page
    paragraphs: list[Line] = []
    for line in lines:
        alt = P.IMAGE_ALT.match(line.text)
        if line.is_image or alt:
            ledger.block(line, "image_alt")
            if alt and not page.country:
                page.country = ctx.country_of(alt["alt"])
            continue
        if _is_prose(line.text) or P.TIP_LINK_SENTENCE.match(line.text):
            paragraphs.append(line)
        # a short line that is no sentence is not background or TIP text: unparsed
    if page.kind != KIND_COUNTRY:
        # Street-children and archive pages carry a background but no TIP summary.
        _take_background(ctx, paragraphs, profile)
        return

    tail_at = next(
        (k for k, x in enumerate(paragraphs) if P.TIP_TAIL.search(x.text)), None
    )
    cite_at = [k for k, x in enumerate(paragraphs) if P.FACTBOOK_CITE.search(x.text)]
    alt_split = _alt_position(lines, paragraphs)
    if cite_at and (tail_at is None or cite_at[-1] < tail_at):
        tip_start = cite_at[-1] + 1
    elif alt_split is not None:
        tip_start = alt_split
    else:
        tip_start = next(
            (
                k
                for k, x in enumerate(paragraphs)
                if re.search(r"\b(source|transit|destination)\b", x.text, re.I)
                and P.TIP_OPENING.search(x.text)
            ),
            tail_at if tail_at is not None else len(paragraphs),
        )
    # Without a source tail the summary runs to the end of the intro.
    tip_end = (
        tail_at + 1 if tail_at is not None and tail_at >= tip_start else len(paragraphs)
    )
    _take_background(ctx, paragraphs[:tip_start], profile)
    for line in paragraphs[tip_start:tip_end]:
        text = line.text
        tail = P.TIP_TAIL.search(text)
        if tail:
            profile.tip_source = clean_space(tail["source"])
            profile.tip_year = int(tail["year"])
            month = (tail["month"] or "").lower()
            from lantern.core.dates import MONTHS

            profile.tip_month = MONTHS.get(month)
            rest = text[tail.end() :].strip()
            text = text[: tail.start()].strip()
            if rest:
                profile.tip_links.extend(_link_sentence(rest, line))
        if text:
            profile.tip_summary.append(text)
        ledger.take(line, "profile.tip")
    for line in paragraphs[tip_end:]:
        if P.TIP_LINK_SENTENCE.match(line.text) and len(line.text) < 300:
            profile.tip_links.extend(_link_sentence(line.text, line))
            ledger.take(line, "profile.tip_links", keep_text=True)
        # anything else after the TIP source stays unparsed


def _take_background(
    ctx: PageContext, paragraphs: list[Line], profile: ParsedProfile
) -> None:
    """Background paragraphs, with the Factbook citation ending the last one."""
    for line in paragraphs:
        text = line.text
        cite = P.FACTBOOK_CITE.search(text)
        if cite:
            profile.background_source = _factbook_source(cite["source"])
            profile.background_year = int(cite["year"]) if cite["year"] else None
            text = text[: cite.start()].strip()
        if text:
            profile.background.append(text)
        ctx.ledger.take(line, "profile.background")


def _is_prose(text: str) -> bool:
    """Background and TIP paragraphs are prose: sentences, or long."""
    return (
        P.ends_like_sentence(text)
        or len(text) >= 80
        or bool(P.FACTBOOK_CITE.search(text) or P.TIP_TAIL.search(text))
    )


def _alt_position(all_lines: list[Line], paragraphs: list[Line]) -> int | None:
    """Where an image between background and TIP splits them (index in paragraphs)."""
    for k, line in enumerate(all_lines):
        if line.is_image or P.IMAGE_ALT.match(line.text):
            before = sum(1 for x in all_lines[:k] if x in paragraphs)
            after = [x for x in all_lines[k + 1 :] if x in paragraphs]
            if before and after and P.TIP_OPENING.search(after[0].text):
                return before
    return None


def _factbook_source(text: str) -> str:
    text = clean_space(text).strip(" ,")
    return f"The World Factbook, {text}" if text else "The World Factbook"


def _link_sentence(text: str, line: Line) -> list[dict[str, str]]:
    """The "Check out a later country report here …" sentence: one link per "here",
    with the words it was on; without links (a text rendering), the sentence."""
    links = [link for link in line.links if link.href]
    if not links:
        return [{"text": text, "url": ""}]
    return [{"text": link.text or text, "url": link.href} for link in links]


def _parse_boilerplate(
    ctx: PageContext, boiler: dict[int, str], start: int, end: int
) -> None:
    """Caution, term-paper and teachers' guidance between the intro and the help-lines
    or entries."""
    ledger, page, lines = ctx.ledger, ctx.page, ctx.lines
    current: ParsedGuidance | None = None
    help_mode = False
    for j in range(start, end):
        line = lines[j]
        kind = boiler.get(j)
        if help_mode and kind is None:
            continue  # help-line lines are parsed by _parse_help
        if kind == "help":
            help_mode = True
            ledger.block(line, "help_heading")
            current = None
            continue
        help_mode = False
        if kind == "caution":
            ledger.block(line, "caution")
            current = None
        elif kind == "how_to_use":
            ledger.block(line, "guidance_heading")
            current = ParsedGuidance("all", line.text, [])
            page.guidance.append(current)
        elif kind == "audience":
            audience = line.text.strip(" :").lower()
            ledger.block(line, "guidance_heading")
            current = ParsedGuidance(audience, line.text.strip(" :"), [])
            page.guidance.append(current)
        elif kind in {"term_paper", "teachers_link"}:
            audience = "students" if kind == "term_paper" else "teachers"
            ledger.block(line, f"guidance.{kind}")
            if (
                current is None
                or current.audience == "all"
                or (not current.heading and current.audience != audience)
            ):
                current = ParsedGuidance(audience, "", [])
                page.guidance.append(current)
            current.paragraphs.append(line.text)
        elif current is not None:
            ledger.block(line, "guidance")
            current.paragraphs.append(line.text)
        elif (
            j > start
            and boiler.get(start) == "caution"
            and not any(k < j and v != "caution" for k, v in boiler.items())
            and _is_prose(line.text)
        ):
            ledger.block(line, "caution")
        # anything else stays unparsed
    page.guidance = [g for g in page.guidance if g.paragraphs]


_NUMBER_LINE = re.compile(
    r"^(?:(?P<label>[A-Za-z][A-Za-z .'’/&-]{0,40}?)\s*[:\-–]\s*)?"
    r"(?P<number>\+?[\d(][\d\s().\-/]{1,30}\d(?:\s*(?:or|/|,)\s*\+?[\d(][\d\s().\-]{2,30}\d)*)"
    r"(?P<after>\s*(?:\(.*\)|[-–].*)?)$"
)


def _help_number(text: str) -> tuple[str, str, str] | None:
    """(label, number, trailing words) of a help-block phone line, or None.

    `0800-2-3232`, `Hotline: 1098 (toll free)`; a line of digits alone is a number
    however short, so that a wrong one is kept and flagged rather than lost."""
    if re.fullmatch(r"\+?[\d\s().\-/]*\d[\d\s().\-/]*", text):
        return "", text.strip(), ""
    if re.fullmatch(r"\+?\d[\d\s\-]{2,}[A-Z]{3,}", text.strip()):
        return "", text.strip(), ""  # a vanity number: 1800 FISCALIA
    match = _NUMBER_LINE.match(text)
    if match and sum(ch.isdigit() for ch in match["number"]) >= 3:
        return (
            (match["label"] or "").strip(),
            match["number"].strip(),
            match["after"].strip(),
        )
    return None


_CONTACT = re.compile(
    r"^(?:e-?mail|web(?:site)?|internet|url|fax)\s*:|@[\w-]+\.|^(?:https?://|www\.)",
    re.IGNORECASE,
)


def _parse_help(ctx: PageContext, lines: list[Line]) -> None:
    """Agency, phone and country-code lines after `HELP for Victims`.

    Each agency line starts a group; each number under it is one help-line (a line
    may hold several, `021 214 157 / 021 214 158`, or an agency and its number,
    `CHILDLINE - Toll Free Call 1098`); a country-code line applies to the group's
    numbers; e-mail and web lines are notes of the help-line above them."""
    from lantern.library.phones import find_hotline_numbers, find_numbers

    page, ledger = ctx.page, ctx.ledger
    current: ParsedHelpline | None = None
    group: list[ParsedHelpline] = []

    def start(organisation: str, line: Line) -> ParsedHelpline:
        helpline = ParsedHelpline(organisation[:300], "", line=line.no)
        page.helplines.append(helpline)
        return helpline

    for line in lines:
        text = line.text
        if ledger.is_taken(line):
            continue
        code = P.COUNTRY_CODE.match(text)
        if code:
            ledger.take(line, "helpline.country_code")
            if current is None:
                current = start("", line)
                group = [current]
            for helpline in group:
                helpline.country_code = code["code"].strip()
            continue
        if _CONTACT.search(text) and current is not None:
            ledger.take(line, "helpline.notes")
            current.notes = f"{current.notes} {text}".strip()
            continue
        number = _help_number(text)
        if number is not None:
            label, digits, after = number
            ledger.take(line, "helpline.number")
            for part in _split_numbers(digits):
                if current is None or current.number:
                    # More numbers for the agency above; a label ("Hotline:") is a note.
                    agency = group[0].organisation if group else ""
                    organisation = agency or label
                    current = start(organisation, line)
                    if group and current.organisation != group[0].organisation:
                        group = []
                    group.append(current)
                current.number = part
                if not current.organisation and label:
                    current.organisation = label
                elif label and label != current.organisation:
                    current.notes = f"{label} {current.notes}".strip()
                if after:
                    current.notes = f"{current.notes} {after}".strip()
            continue
        if len(text) <= 160:
            ledger.take(line, "helpline.organisation")
            current = start(text, line)
            group = [current]
            # An agency line that carries its own number.
            inline = find_hotline_numbers(text) or find_numbers(text)
            for k, found in enumerate(inline):
                if k:
                    current = start(text, line)
                    group.append(current)
                current.number = found
        elif current is not None:
            ledger.take(line, "helpline.notes")
            current.notes = f"{current.notes} {text}".strip()


def _split_numbers(text: str) -> list[str]:
    """`0800 11 22 33 / 0800 11 22 44` → both numbers; one number stays whole."""
    parts = [
        p.strip() for p in re.split(r"\s+(?:/|or|,|;)\s+|\s*;\s*", text) if p.strip()
    ]
    if len(parts) > 1 and all(sum(ch.isdigit() for ch in p) >= 3 for p in parts):
        return parts
    return [text]


def _set_identity(ctx: PageContext) -> None:
    page = ctx.page
    if not page.country and ctx.doc.title:
        # Last resort: the HTML <title> ("Peru", "Human Trafficking - Peru").
        title = ctx.doc.title
        page.country = ctx.country_of(title) or ctx.country_of(
            re.split(r"\s[-–:|]\s", title)[-1]
        )
    code = page.country
    if page.kind == KIND_COUNTRY:
        name = code or ""
        page.key = f"country:{code}" if code else ""
        page.title = f"Human Trafficking & Modern-day Slavery – {name}".strip(" –")
    elif page.kind == KIND_STREET:
        page.key = f"street-children:{code}" if code else ""
        page.title = f"Street Children – {code or ''}".strip(" –")
    elif page.kind == KIND_ARCHIVE:
        if code:
            page.key = f"archive-part:{page.collection}:{code}:{page.part or 1}"
        page.title = f"Archives, part {page.part or 1} – {code or ''}".strip(" –")
    elif page.kind == KIND_TOPIC:
        slug = slugify_ascii(page.topic_title)
        page.key = f"topic:{slug}" if slug else ""
        page.title = f"Lecture Resources – {page.topic_title}".strip(" –")
    if not code and page.kind in {KIND_COUNTRY, KIND_STREET, KIND_ARCHIVE}:
        page.warn(1, "could not tell which country this page is about")
