"""The profile as TOML, each key with a comment saying how it was found and what was rejected
on the way — so that whoever reads it can judge it, and edit the few lines discovery got wrong."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from esia_e2e.library.discovery.children import Children
from esia_e2e.library.discovery.entry import RULE, Entry
from esia_e2e.library.discovery.loading import Loading
from esia_e2e.library.discovery.locating import Choice
from esia_e2e.library.discovery.pages import KindPage
from esia_e2e.library.discovery.protocol import SignatureFacts
from esia_e2e.library.discovery.values import Found
from esia_e2e.library.profile import LocatorSpec

_REJECTED_SHOWN = 3


@dataclass
class Discovery:
    """Everything discovery learnt, in the order the profile says it."""

    name: str
    base_url: str
    client_id: str
    scopes: str
    redirect_uris: list[str]
    generation: str
    signature: SignatureFacts
    start_path: str
    entry: Entry
    cabinet_url: str
    values: list[Found] = field(default_factory=list)
    children: Children | None = None
    no_children: str = ""
    # Where the cabinet's loading was read: loader, reload message and button, the timeout.
    loading: Loading | None = None
    logout: Choice | None = None
    error_page: Choice | None = None
    kinds: list[KindPage] = field(default_factory=list)
    claims: dict[str, tuple[bool, str]] = field(default_factory=dict)
    account_levels: list[str] = field(default_factory=list)
    levels_how: str = ""
    back_channel_timeout: float | None = None
    back_channel_how: str = ""
    undetermined: list[str] = field(default_factory=list)


def value(item: object) -> str:
    """A TOML value: strings as basic strings (JSON's escapes are TOML's), lists, booleans."""
    if isinstance(item, bool):
        return "true" if item else "false"
    if isinstance(item, int | float):
        return f"{item:g}"
    if isinstance(item, list):
        return "[" + ", ".join(value(x) for x in item) + "]"
    return json.dumps(str(item), ensure_ascii=False)


def locator(spec: LocatorSpec) -> str:
    parts = spec.model_dump(exclude_defaults=True)
    return "{ " + ", ".join(f"{key} = {value(v)}" for key, v in parts.items()) + " }"


def _comment(text: str) -> list[str]:
    return [f"# {line}" for line in text.splitlines() if line.strip()]


def _choice_comment(choice: Choice) -> str:
    text = f"found by {choice.how}"
    if choice.rejected:
        shown = "; ".join(choice.rejected[:_REJECTED_SHOWN])
        more = len(choice.rejected) - _REJECTED_SHOWN
        text += f"\nrejected: {shown}" + (f" (and {more} more)" if more > 0 else "")
    return text


def render(found: Discovery) -> str:
    out: list[str] = [
        f"# Written by `esia-e2e init --portal-url {found.base_url}`: discovered by logging people",
        "# of the mock ESIA in through the portal. Each key says how it was found; check the",
        "# ones marked TODO, then `esia-e2e check-profile` this file. Keys: docs/profile.md.",
        "",
        "[portal]",
        f"name = {value(found.name)}",
        f"base_url = {value(found.base_url)}",
        *_comment("from the portal's authorization request to the mock"),
        f"client_id = {value(found.client_id)}",
        *_comment(found.signature.how),
        f"secret_mode = {value(found.signature.mode)}",
        f"redirect_uris = {value(found.redirect_uris)}",
        *_comment("the scopes the portal asked for (the consent page lists exactly these)"),
        f"scopes = {value(found.scopes)}",
    ]
    if found.account_levels:
        out += [*_comment(found.levels_how), f"account_levels = {value(found.account_levels)}"]
    out += [
        "",
        "[login]",
        f"start_path = {value(found.start_path)}",
        *_comment(
            f"the login entry; candidates: {', '.join(found.entry.candidates)}\n"
            f"(rule when several fit: {RULE})"
        ),
        f"start = {locator(found.entry.spec)}",
        *_comment("the URL the cabinet had after the login"),
        f"cabinet_url = {value(found.cabinet_url)}",
        "",
        "[locators]",
    ]
    for item in found.values:
        out += [
            *_comment(_choice_comment(item.choice)),
            f"{item.key} = {locator(item.choice.spec)}",
        ]
    if found.children is not None:
        kids = found.children
        out += [*_comment(_choice_comment(kids.child)), f"child = {locator(kids.child.spec)}"]
        if kids.warning is not None:
            out += [
                *_comment(_choice_comment(kids.warning)),
                f"child_without_policy = {locator(kids.warning.spec)}",
            ]
    if found.loading is not None:
        for key, choice in found.loading.locators():
            out += [*_comment(_choice_comment(choice)), f"{key} = {locator(choice.spec)}"]
    if found.logout is not None:
        out += [*_comment(_choice_comment(found.logout)), f"logout = {locator(found.logout.spec)}"]
    if found.error_page is not None:
        out += [
            *_comment(_choice_comment(found.error_page)),
            f"error_page = {locator(found.error_page.spec)}",
        ]
    for page in found.kinds:
        out += [
            "",
            f"[errors.{page.kind}]",
            *_comment(page.how),
            f"recognise = {locator(page.recognise)}",
            *_comment("the sentences on it that name the cause"),
            f"says = {value(page.says)}",
        ]
    formats = [(item.key, item.format) for item in found.values]
    if found.children is not None:
        formats.append(("child_name", found.children.name_format))
    out += ["", "[formats]", *_comment("the spelling each value was found in")]
    out += [f"{key} = {value(spelling)}" for key, spelling in formats]
    texts = []
    if found.loading is not None and found.loading.reload_text:
        texts.append(("reload_message", found.loading.reload_text, "the reload message's words"))
    if found.children is not None and found.children.warning_text:
        texts.append(
            ("child_without_policy", found.children.warning_text, "the warning's own words")
        )
    if found.no_children:
        texts.append(
            ("no_children", found.no_children, "said on the cabinet of a childless person")
        )
    if texts:
        out += ["", "[texts]"]
        for key, text, how in texts:
            out += [*_comment(how), f"{key} = {value(text)}"]
    timeouts: list[str] = []
    if found.loading is not None and found.loading.page_timeout is not None:
        timeouts += [
            *_comment(found.loading.timeout_how),
            f"page_timeout_seconds = {value(found.loading.page_timeout)}",
            f"page_gives_up_by = {value(found.loading.gives_up_by)}",
        ]
    if found.back_channel_timeout is not None:
        timeouts += [
            *_comment(found.back_channel_how),
            f"back_channel_timeout_seconds = {value(found.back_channel_timeout)}",
        ]
    if timeouts:
        out += ["", "[timeouts]", *timeouts]
    out += ["", "[claims]"]
    for claim, (holds, how) in found.claims.items():
        out += [f"{claim} = {value(holds)}  # {how}"]
    if found.undetermined:
        out += ["", "# TODO — not determined by discovery (add by hand, or leave out):"]
        out += [f"#   - {line}" for line in found.undetermined]
    return "\n".join(out) + "\n"
