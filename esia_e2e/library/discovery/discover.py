"""Discovery from start to end: the login entry, a first person's cabinet, a second person to
confirm every locator, logout, then each situation; the findings go to the writer. Every person
made is deleted and every browser context closed at the end, on failure too."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Error, Page

from esia_e2e.library.discovery.children import find_children, no_children_text
from esia_e2e.library.discovery.entry import find_entry
from esia_e2e.library.discovery.errors import DiscoveryError
from esia_e2e.library.discovery.loading import (
    CLOCK_LIMIT_S,
    REAL_TIME_LIMIT_S,
    loads_separately,
    measure_in_real_time,
    measure_timeout,
    read_loading,
    read_server_loading,
)
from esia_e2e.library.discovery.locating import Choice
from esia_e2e.library.discovery.pages import KindPage, container, kind_pages
from esia_e2e.library.discovery.protocol import Seen, signature
from esia_e2e.library.discovery.situations import SITUATIONS, Driver, Outcome
from esia_e2e.library.discovery.spellings import of_person
from esia_e2e.library.discovery.values import confirm, find_values
from esia_e2e.library.discovery.writer import Discovery
from esia_e2e.library.pages import EsiaLoginPage
from esia_e2e.library.personas import TestPersona
from esia_e2e.library.profile import LocatorSpec
from mock_esia.admin_client import AdminClient

Progress = Callable[[str], None]
LOGOUT_NAME = re.compile(r"выйти|выход", re.IGNORECASE)
_DOCUMENT_KINDS = ("no_oms", "no_snils", "no_passport")
_LEVELS = {"simplified_account": "simplified", "standard_account": "standard"}
_NAME_WAIT_MS = 15_000


def discover(
    browser: Browser,
    base_url: str,
    esia_url: str,
    admin: AdminClient,
    start_path: str = "/",
    progress: Progress = print,
) -> Discovery:
    seen = Seen(esia_url.rstrip("/"))
    driver = Driver(browser, base_url, seen.esia_url, admin, start_path, on_request=seen.watch)
    try:
        return _discover(driver, seen, base_url, start_path, progress)
    finally:
        driver.close()


def _discover(
    driver: Driver, seen: Seen, base_url: str, start_path: str, progress: Progress
) -> Discovery:
    page = driver.new_page()
    page.goto(start_path)
    title = page.title() or base_url
    entry = find_entry(page)
    driver.entry = entry.spec
    progress(f"вход на портал: {entry.spec.describe()}")

    first = driver.person("verified")
    _log_in_to_cabinet(driver, page, first)
    if not seen.authorize:
        raise DiscoveryError("браузер не дошёл до страницы входа мока ЕСИА по кнопке входа")
    cabinet_url = re.escape(urlsplit(page.url).path) + "$"
    found, missed = find_values(page, first.raw)
    if not any(item.key == "patient_name" for item in found):
        raise DiscoveryError(
            f"в кабинете ({page.url}) не найдено ФИО пациента ни в одном из написаний: "
            + "; ".join(m.why for m in missed if m.key == "patient_name")
        )
    progress("кабинет: " + ", ".join(f"{i.key} ({i.choice.spec.describe()})" for i in found))

    second_page = driver.new_page()
    second = driver.person("verified")
    _log_in_to_cabinet(driver, second_page, second)
    found, dropped = confirm(second_page, found, second.raw)
    missed += dropped
    name = next(i for i in found if i.key == "patient_name") if found else None
    if name is None:
        raise DiscoveryError("локатор ФИО не нашёл ФИО второго пациента: " + dropped[0].why)
    driver.cabinet_name = name.choice.spec.resolve
    progress(f"второй пациент: подтверждено {len(found)}, отброшено {len(dropped)}")

    logout = _logout(second_page)
    logs_out = _logs_out_of_esia(driver, second_page, logout, entry.spec) if logout else None
    progress(f"выход: {logout.spec.describe() if logout else 'не найден'}")

    outcomes: list[Outcome] = []
    for situation in SITUATIONS:
        outcome = driver.run(situation)
        outcomes.append(outcome)
        said = (
            "вход продолжился"
            if outcome.went_on
            else f"страница «{outcome.heading or outcome.text[:60]}»"
        )
        progress(f"ситуация {situation.kind}: {said} ({outcome.seconds:.1f} с)")

    kids_page = driver.new_page()
    with_kids = driver.person("verified_with_kids")
    _log_in_to_cabinet(driver, kids_page, with_kids)
    children, no_kids_why = find_children(kids_page, with_kids.kids)
    no_children = no_children_text(page)
    progress(
        f"дети: {children.child.spec.describe() if children else no_kids_why}"
        + (f"; без детей кабинет говорит «{no_children}»" if no_children else "")
    )

    name_spec = name.choice.spec
    loading = None
    reads_esia = False
    separately = loads_separately(page, name_spec)
    if separately:
        loading = read_loading(page, name_spec)
        clock_page = page.context.new_page()  # the first person's session, a page to clock
        clock_page.goto(page.url)
        name_spec.resolve(clock_page).first.wait_for()
        measure_timeout(clock_page, loading)
        real_page = kids_page.context.new_page()  # no clock installed in this context
        real_page.goto(kids_page.url)
        name_spec.resolve(real_page).first.wait_for()
        measure_in_real_time(real_page, loading)
        progress(
            "загрузка: "
            + ", ".join(f"{k} ({c.spec.describe()})" for k, c in loading.locators())
            + (f"; страница сдаётся через {loading.page_timeout:g} с ({loading.gives_up_by})"
               if loading.page_timeout is not None else "; страница не сдаётся")
        )  # fmt: skip
    else:
        reads_esia, loading = read_server_loading(page, driver.admin, first.oid)
        progress(
            "загрузка: кабинет приходит с сервера целиком"
            + ("; при каждом входе читает ЕСИА" if reads_esia else "")
            + (
                f"; сдаётся через {loading.page_timeout:g} с"
                if loading is not None and loading.page_timeout is not None
                else ""
            )
        )

    client_id = seen.authorize.get("client_id", "")
    found_all = Discovery(
        name=title,
        base_url=base_url,
        client_id=client_id,
        scopes=seen.authorize.get("scope", ""),
        redirect_uris=_redirect_uris(seen, base_url),
        generation=seen.generation,
        signature=signature(driver.admin, client_id, seen.generation),
        start_path=start_path,
        entry=entry,
        cabinet_url=cabinet_url,
        values=found,
        logout=logout,
        children=children,
        no_children=no_children,
        loading=loading,
    )
    _judge(found_all, outcomes, kids_page)  # a cabinet left as it was after its login
    if logs_out is not None:
        found_all.claims["logs_out_of_esia"] = (
            logs_out,
            "after «Выйти» the next login " + ("asked" if logs_out else "did not ask")
            + " for the password",
        )  # fmt: skip
    found_all.undetermined += [f"[locators] {m.key}: {m.why}" for m in missed]
    _judge_children(found_all, no_kids_why)
    _judge_loading(found_all, separately, reads_esia)
    return found_all


def _judge_children(found: Discovery, why_not: str) -> None:
    kids = found.children
    if kids is not None and kids.warning is not None:
        found.claims["shows_children"] = (True, "a person with two children: both listed")
        return
    if kids is not None:
        why_not = "the warning beside the child without a policy was not found"
        found.children = None
    found.undetermined.append(f"children (shows_children, [locators] child): {why_not}")


def _judge_loading(found: Discovery, separately: bool, reads_esia: bool) -> None:
    loading = found.loading
    if not separately:
        found.claims["loads_cabinet_data_separately"] = (
            False,
            "no data request after the page: the cabinet comes whole from the server",
        )
        _judge_server_loading(found, reads_esia)
        return
    assert loading is not None
    if loading.loader is None or loading.reload_message is None or loading.reload_button is None:
        missing = [
            k for k in ("loader", "reload_message", "reload_button") if getattr(loading, k) is None
        ]
        found.undetermined.append(
            "loads_cabinet_data_separately: the data comes after the page, but not found: "
            + ", ".join(missing)
        )
        found.loading = None if loading.reload_message is None else loading
        return
    found.claims["loads_cabinet_data_separately"] = (True, "data held: the loader, then the data")
    found.claims["spinning_logo"] = (
        loading.spins,
        "an animation runs on the loader" if loading.spins else "nothing moves on the loader",
    )
    found.claims["has_page_timeout"] = (
        loading.page_timeout is not None,
        loading.timeout_how or f"data held: no reload message in {CLOCK_LIMIT_S} s",
    )


def _judge_server_loading(found: Discovery, reads_esia: bool) -> None:
    loading = found.loading
    if not reads_esia:
        found.claims["reads_esia_on_every_visit"] = (
            False,
            "ESIA's REST held: reloading the cabinet did not ask ESIA",
        )
        return
    if loading is None or loading.reload_message is None or loading.reload_button is None:
        found.loading = None
        found.undetermined.append(
            "reads_esia_on_every_visit: the cabinet asks ESIA on every visit, but with ESIA "
            "held no reload message and control came within "
            f"{REAL_TIME_LIMIT_S:g} s"
        )
        return
    found.claims["reads_esia_on_every_visit"] = (True, "ESIA's REST held: the portal waited for it")
    found.claims["has_page_timeout"] = (True, loading.timeout_how)


def _log_in_to_cabinet(driver: Driver, page: Page, person: TestPersona) -> None:
    """Log the person in and wait until the page shows their name in any spelling."""
    driver.log_in(page, person)
    driver.settle(page)
    texts = [s.text for s in of_person(person.raw)["patient_name"]]
    try:
        page.wait_for_function(
            """(texts) => {
              const norm = (s) => s.toLowerCase().replace(/ё/g, 'е').replace(/\\s+/g, ' ');
              const body = norm(document.body ? document.body.innerText : '');
              return texts.some((t) => body.includes(norm(t)));
            }""",
            arg=texts,
            timeout=_NAME_WAIT_MS,
        )
    except Error:
        raise DiscoveryError(
            f"после входа портал не показал ФИО пациента (страница {page.url}): discovery "
            "ищет кабинет по ФИО, которое знает"
        ) from None


def _logout(page: Page) -> Choice | None:
    for role in ("link", "button"):
        located = page.get_by_role(role, name=LOGOUT_NAME).filter(visible=True)
        if located.count():
            label = " ".join(located.first.inner_text().split())
            spec = LocatorSpec(role=role, name=label, exact=True)
            if spec.resolve(page).count() == 1:
                return Choice(spec, f"the {role} «{label}» (its accessible name says выйти/выход)")
    return None


def _logs_out_of_esia(
    driver: Driver, page: Page, logout: Choice, entry: LocatorSpec
) -> bool | None:
    """«Выйти», then the login entry again: does ESIA ask for the password (its session ended)?"""
    try:
        logout.spec.resolve(page).click()
        driver.settle(page)
        page.goto(driver.start_path)
        entry.resolve(page).click()
        page.wait_for_url(lambda url: url.startswith(driver.esia_url) or "/consent" in url)
        login = EsiaLoginPage(page)
        login.heading.or_(page.get_by_text("Предоставление прав доступа")).or_(
            page.get_by_role("button", name="Предоставить")
        ).first.wait_for(timeout=10_000)
        return login.heading.is_visible()
    except Error:
        return None


def _redirect_uris(seen: Seen, base_url: str) -> list[str]:
    found = [seen.authorize.get("redirect_uri", ""), seen.logout_redirect]
    base = base_url.rstrip("/")
    return list(dict.fromkeys(u.replace(base, "{base_url}", 1) for u in found if u))


def _judge(found: Discovery, outcomes: list[Outcome], cabinet: Page) -> None:
    """Claims, account levels, error pages and the back-channel timeout from the outcomes."""
    by_kind = {o.situation.kind: o for o in outcomes}
    document_headings = {
        by_kind[k].heading.casefold() for k in _DOCUMENT_KINDS if by_kind[k].explained
    }
    levels = ["confirmed"]
    refused_levels: list[Outcome] = []
    level_notes: list[str] = []
    for kind, level in _LEVELS.items():
        outcome = by_kind[kind]
        if outcome.went_on or outcome.heading.casefold() in document_headings:
            levels.insert(0, level)
            level_notes.append(
                f"{level} let in" + ("" if outcome.went_on else " (then its documents decide)")
            )
        elif outcome.explained:
            refused_levels.append(outcome)
            level_notes.append(f"{level} refused («{outcome.heading}»)")
        else:
            level_notes.append(f"{level}: the page «{outcome.heading}» names no account level")
            levels = []
            break
    explained = [
        o
        for o in outcomes
        if o.explained and (o.situation.claim is not None or o in refused_levels)
    ]
    if explained:
        found.error_page = container(explained, cabinet)
    pages: list[KindPage] = []
    if found.error_page is not None:
        pages, problems = kind_pages(explained, found.error_page.spec)
        found.undetermined += problems
    elif explained:
        found.undetermined.append(
            "[locators] error_page: no element is on every error page and never on the cabinet"
        )
    found.kinds = pages
    have = {p.kind for p in pages}
    for outcome in outcomes:
        claim = outcome.situation.claim
        if claim is None:
            continue
        if outcome.situation.kind in have:
            found.claims[claim] = (True, f"its page «{outcome.heading}»")
        elif outcome.went_on:
            found.claims[claim] = (False, "the login went on to the cabinet")
        elif outcome.explained:
            found.undetermined.append(f"{claim}: its page was seen but not told apart")
        else:
            seen = outcome.heading or outcome.note or outcome.text[:80]
            found.claims[claim] = (False, f"the page «{seen}» does not name the cause")
    if levels and all(o.situation.kind in have for o in refused_levels):
        found.account_levels = [
            lv for lv in ("simplified", "standard", "confirmed") if lv in levels
        ]
        found.levels_how = "the account levels let in: " + "; ".join(level_notes)
    else:
        found.undetermined.append("[portal] account_levels: " + "; ".join(level_notes))
    unavailable = by_kind["esia_unavailable"]
    if "esia_unavailable" in have:
        found.back_channel_timeout = float(max(1, math.ceil(unavailable.seconds)))
        found.back_channel_how = (
            f"ESIA's token endpoint held: the portal gave up after {unavailable.seconds:.1f} s "
            "(measured from «Предоставить» to its page), rounded up"
        )
