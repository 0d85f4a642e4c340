"""The sweep's matrix where readers look: `sweep.md` and `sweep.json` beside the conformance
report, a section «Устойчивость к ответам ЕСИА» in `conformance.md` (replacing an earlier one),
and one Allure result per row, titled with the answer in Russian and failed when the patient
got the wrong thing."""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path

from allure_commons.logger import AllureFileLogger
from allure_commons.model2 import Label, Parameter, Status, StatusDetails, TestResult

from esia_e2e.library.sweep import Outcome

SECTION = "## Устойчивость к ответам ЕСИА"
_SHOWN = {
    "cabinet": "кабинет с данными пациента",
    "cabinet_empty": "кабинет без данных пациента",
    "reload": "«перезагрузите страницу»",
    "blank": "пустая страница",
    "hang": "ничего за отведённое время",
    "home": "стартовая страница портала без объяснений",
    "error:?": "страница ошибки без названной причины",
}


def shown_in_words(shown: str, titles: dict[str, str]) -> str:
    if shown in _SHOWN:
        return _SHOWN[shown]
    if shown.startswith("error:"):
        kind = shown.removeprefix("error:")
        return f"страница «{titles.get(kind, kind)}»"
    if shown.startswith("raw"):
        return "сырая ошибка (" + shown.partition(": ")[2] + ")"
    return shown


def expected_in_words(expected: list[str], titles: dict[str, str]) -> str:
    words = {
        "error:esia": "ошибка на стороне Госуслуг, без вины пациента",
        "reload": "«перезагрузите страницу»",
        "cabinet": "кабинет с данными пациента",
    }
    return " или ".join(
        words.get(e) or f"страница «{titles.get(e.removeprefix('error:'), e)}»" for e in expected
    )


def as_rows(
    outcomes: list[Outcome], expected: dict[str, list[str]], titles: dict[str, str]
) -> list[dict]:
    rows = []
    for outcome in outcomes:
        row = outcome.row
        rows.append(
            {
                "id": row.id,
                "channel": row.channel,
                "answer": row.title,
                "expected": expected_in_words(expected[row.id], titles),
                "shown": shown_in_words(outcome.shown, titles),
                "verdict": outcome.verdict,
                "note": outcome.note,
                "source": row.source,
                "seconds": round(outcome.seconds, 1),
            }
        )
    return rows


def markdown(rows: list[dict], portal: str, took: float) -> str:
    wrong = [r for r in rows if r["verdict"] != "верно"]
    lines = [
        SECTION,
        "",
        f"Портал «{portal}»: {len(rows) - len(wrong)} из {len(rows)} ответов ЕСИА пациент "
        f"переживает верно; прогон занял {took:.0f} с (`esia-e2e sweep`).",
        "",
        "| Где отвечает ЕСИА | Ответ | Пациент должен увидеть | Пациент увидел | Итог |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        verdict = r["verdict"] if r["verdict"] == "верно" else f"**{r['verdict']}**"
        cells = [r["channel"], r["answer"], r["expected"], r["shown"], verdict]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    lines += ["", "Источники ожиданий: `esia_e2e/library/data/esia_answers.toml`.", ""]
    return "\n".join(lines)


def write(folder: Path, alluredir: Path | None, rows: list[dict], portal: str, took: float) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    section = markdown(rows, portal, took)
    (folder / "sweep.md").write_text(
        f"# Устойчивость портала к ответам ЕСИА: {portal}\n\n" + section, encoding="utf-8"
    )
    (folder / "sweep.json").write_text(
        json.dumps(
            {"portal": portal, "seconds": round(took, 1), "rows": rows},
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    conformance = folder / "conformance.md"
    if conformance.is_file():
        text = conformance.read_text(encoding="utf-8")
        head = text.split(SECTION)[0].rstrip("\n")
        conformance.write_text(head + "\n\n" + section, encoding="utf-8")
    if alluredir is not None:
        _allure(alluredir, rows)


def _allure(alluredir: Path, rows: list[dict]) -> None:
    alluredir.mkdir(parents=True, exist_ok=True)
    logger = AllureFileLogger(str(alluredir))
    now = int(time.time() * 1000)
    for r in rows:
        right = r["verdict"] == "верно"
        logger.report_result(
            TestResult(
                uuid=str(uuid.uuid4()),
                historyId=f"esia-e2e-sweep-{r['id']}",
                name=f"{r['channel']}: {r['answer']}",
                fullName=f"esia_e2e.sweep.{r['id']}",
                status=Status.PASSED if right else Status.FAILED,
                statusDetails=None
                if right
                else StatusDetails(
                    message=f"{r['verdict']}: ожидалось — {r['expected']}, "
                    f"а пациент увидел — {r['shown']}",
                    trace=r["note"],
                ),
                description=f"Источник ожидания: {r['source']}",
                start=now,
                stop=now + int(r["seconds"] * 1000),
                parameters=[Parameter(name="ответ ЕСИА", value=r["id"])],
                labels=[
                    Label(name="parentSuite", value="Устойчивость к ответам ЕСИА"),
                    Label(name="suite", value=r["channel"]),
                ],
            )
        )
