"""A corpus where departments learned the same lessons years apart, for recurrence tests.

Three lessons recur: loose connector backshells (four times, by four departments, one of
them restricted to Legal), vendor lead times (twice, two departments) and training rooms
(twice, one department). One document shares the backshell account of what happened but
teaches something else; the rest are unrelated.
"""

from __future__ import annotations

from tests.conftest import markdown_doc

BACKSHELL_EVENT = "During the vibration test two connector backshells came loose on the harness."
BACKSHELLS = {
    "eng-2014": ("Engineering", "2014-03-01", "public",
                 "Loose connector backshells vibrated free during launch vibration. Torque "
                 "every connector backshell to the drawing value and witness the torque."),
    "leg-2016": ("Legal", "2016-07-19", "restricted",
                 "Connector backshells loosen under launch vibration unless torqued. Torque "
                 "each connector backshell to the drawing value, witnessed."),
    "man-2018": ("Manufacturing", "2018-05-02", "public",
                 "Connector backshells worked loose under launch vibration. Torque each "
                 "connector backshell to the drawing value and have a witness check it."),
    "ops-2021": ("Operations", "2021-09-10", "public",
                 "Connector backshells came loose in vibration. Always torque connector "
                 "backshells to the drawing value and have the torque witnessed."),
}  # fmt: skip
VENDOR = ("Quoted vendor lead times are estimates, not commitments. Order long-lead parts "
          "early and track the vendor delivery dates weekly.")  # fmt: skip
ROOMS = "Book the training rooms for onboarding weeks a quarter ahead; the rooms fill quickly."
UNRELATED = [
    "Keep the coffee budget separate from the events budget.",
    "Badge printers jam when the card stock is humid.",
    "Parking permits expire in March; remind staff in February.",
    "Travel refunds need itemised hotel receipts.",
    "Desk booking software double-books hot desks at midnight.",
    "Payroll codes changed after the merger; update timesheets.",
    "The summer party venue wanted a deposit six months ahead.",
    "Printer toner orders arrive faster through the framework contract.",
]


def lesson(doc_id: str, department: str, date: str, text: str, **options) -> str:
    sections = {"What happened": options.get("event", "It happened again."), "Lesson": text}
    front = f"id: {doc_id}\nsensitivity: {options.get('sensitivity', 'public')}\n"
    return markdown_doc(f"Lesson {doc_id}", department=department, date=date,
                        sections=sections, extra_front=front)  # fmt: skip


def recurrence_corpus() -> dict[str, str]:
    """{file name: Markdown} of the corpus."""
    corpus = {
        f"{doc_id}.md": lesson(doc_id, dept, date, text, sensitivity=level, event=BACKSHELL_EVENT)
        for doc_id, (dept, date, level, text) in BACKSHELLS.items()
    }
    corpus["ops-2021-clamps.md"] = lesson(
        "ops-2021-clamps", "Operations", "2021-09-10",
        "Keep spare harness clamps in the integration kit.", event=BACKSHELL_EVENT,
    )  # fmt: skip
    corpus["fin-2019.md"] = lesson("fin-2019", "Finance", "2019-01-15", VENDOR)
    corpus["eng-2022.md"] = lesson("eng-2022", "Engineering", "2022-11-30", VENDOR)
    corpus["hr-2017.md"] = lesson("hr-2017", "HR", "2017-02-01", ROOMS)
    corpus["hr-2020.md"] = lesson("hr-2020", "HR", "2020-02-03", ROOMS)
    for i, text in enumerate(UNRELATED):
        corpus[f"other-{i}.md"] = lesson(f"other-{i}", "Facilities", f"201{i}-06-01", text)
    return corpus
