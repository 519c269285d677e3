"""Teachers' pages: the resource menu, debate propositions, lesson plans. Pure."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from lantern.core.text import slugify_ascii
from lantern.legacy import patterns as P
from lantern.legacy.furniture import footer_start, take_footer, take_header
from lantern.legacy.parser import (
    KIND_DEBATE,
    KIND_LESSON,
    ParsedLessonPlan,
    lesson_label,
)

if TYPE_CHECKING:
    from lantern.legacy.document import Line
    from lantern.legacy.parser import PageContext


def parse_teaching_page(ctx: PageContext) -> None:
    page, lines = ctx.page, ctx.lines
    i = take_header(ctx)
    footer = footer_start(lines, i)
    if page.kind == KIND_LESSON:
        _lesson_plan(ctx, i, footer)
        name = page.lesson_plan.title if page.lesson_plan else ""
    elif page.kind == KIND_DEBATE:
        name = _debate(ctx, i, footer)
    else:
        name = _menu(ctx, i, footer)
    take_footer(ctx, footer)
    page.title = name or page.kind.replace("-", " ").capitalize()
    # A page's own heading names it; headings every such page shares ("Debate
    # Topics") do not, and the file name has to.
    slug = slugify_ascii(name)
    if not slug or slug in GENERIC_TITLES:
        stem = ctx.file_name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        slug = f"{slug}--{slugify_ascii(stem)}" if stem else page.content_hash[:12]
    page.key = f"{page.kind}:{slug}"


GENERIC_TITLES = frozenset(
    {"resources-for-teachers", "debate-topics", "lesson-plan", "lesson-plans",
     "teachers-menu", "debate", "menu"}
)  # fmt: skip


def _menu(ctx: PageContext, start: int, end: int) -> str:
    """Menu items are the linked lines (or, in a text rendering, the title-like
    lines); sentences around them are the page's introduction and notes."""
    page, ledger = ctx.page, ctx.ledger
    body = ctx.lines[start:end]
    linked = any(_href(line) for line in body)
    heading = ""
    title = ""
    for line in body:
        text = line.text
        href = _href(line)
        if line.is_image:
            ledger.block(line, "image_alt")
            continue
        is_heading = (
            not href
            and len(text) < 80
            and not P.ends_like_sentence(text)
            and (text.isupper() or text.endswith(":"))
        )
        is_item = (
            bool(href) if linked else not P.ends_like_sentence(text) and len(text) < 160
        )
        if is_heading:
            heading = text.strip(" :")
            title = title or heading
            ledger.take(line, "menu.heading", keep_text=True)
        elif is_item:
            item = re.sub(r"^[\s·•*\-–]+", "", text).strip()
            page.links.append(
                {"title": item, "url": href, "description": "", "menu": heading}
            )
            ledger.take(line, "menu.link")
        elif (
            page.links
            and not P.ends_like_sentence(page.links[-1]["title"])
            and len(text) > 160
        ):
            previous = page.links[-1]
            previous["description"] = f"{previous['description']} {text}".strip()
            ledger.take(line, "menu.description")
        else:
            ledger.block(line, "menu.intro" if not page.links else "menu.note")
    return title or "Resources for Teachers"


def _href(line: Line) -> str:
    return next((link.href for link in line.links if link.href), "")


def _debate(ctx: PageContext, start: int, end: int) -> str:
    page, ledger = ctx.page, ctx.ledger
    title = ""
    for line in ctx.lines[start:end]:
        text = line.text
        numbered = P.NUMBERED.match(text)
        if numbered:
            page.propositions.append(
                (int(numbered["number"]), numbered["text"].strip())
            )
            ledger.take(line, "debate.proposition")
        elif line.is_image:
            ledger.block(line, "image_alt")
        elif page.propositions and text[:1].islower():
            # A proposition that runs on into a second paragraph.
            number, previous = page.propositions[-1]
            page.propositions[-1] = (number, f"{previous} {text}")
            ledger.take(line, "debate.proposition")
        elif page.propositions:
            ledger.block(line, "debate.note")
        else:
            if not title and len(text) < 100:
                title = text
                ledger.block(line, "debate.title")
            else:
                ledger.block(line, "debate.intro")
    return title or "Debate Topics"


def _lesson_plan(ctx: PageContext, start: int, end: int) -> None:
    page, ledger = ctx.page, ctx.ledger
    plan = ParsedLessonPlan()
    current: dict[str, str] | None = None
    pending_number = ""
    previous: Line | None = None
    for line in ctx.lines[start:end]:
        previous, line_before = line, previous
        text = line.text
        if re.fullmatch(r"\d{1,2}[.)]", text) and current is not None:
            # A number in one table cell, its item in the next.
            pending_number = text
            ledger.take(line, "lesson.field")
            continue
        if pending_number:
            text = f"{pending_number} {text}"
            pending_number = ""
        labelled = lesson_label(text)
        numbered = P.NUMBERED.match(text)
        if labelled:
            label, value = labelled
            current = {"label": label, "value": value}
            plan.fields.append(current)
            ledger.take(line, "lesson.field")
            key = re.sub(r"\s*\d+$", "", label.lower())
            if (
                re.fullmatch(r"(lesson )?objectives?", key)
                and value
                and re.search(r"\d$", label)
            ):
                plan.objectives.append(value)
        elif (
            numbered and current is not None and "objective" in current["label"].lower()
        ):
            plan.objectives.append(numbered["text"].strip())
            current["value"] = f"{current['value']}\n{text}".strip()
            ledger.take(line, "lesson.objective")
        elif current is not None:
            # A line right under the previous one continues it (a wrapped value);
            # after a blank line it starts a new paragraph of the value.
            adjacent = line_before is not None and line.no == line_before.last + 1
            joiner = " " if adjacent else "\n"
            current["value"] = f"{current['value']}{joiner}{text}".strip()
            in_objectives = "objective" in current["label"].lower() and plan.objectives
            if in_objectives and adjacent and not numbered:
                plan.objectives[-1] = f"{plan.objectives[-1]} {text}"
            ledger.take(line, "lesson.field")
        elif line.is_image:
            ledger.block(line, "image_alt")
        elif not plan.title and len(text) < 120:
            ledger.block(line, "lesson.heading")
        else:
            ledger.block(line, "lesson.intro")
    for item in plan.fields:
        key = re.sub(r"\s*\d+$", "", item["label"].lower())
        first = item["value"].split("\n", 1)[0].strip()
        if key in {"title", "lesson title"} and not plan.title:
            plan.title = first
        elif key in {"unit topic", "unit"} and not plan.unit_topic:
            plan.unit_topic = first
        elif key in {"grade level", "grade", "grade levels"} and not plan.grade_level:
            plan.grade_level = first
    page.lesson_plan = plan
