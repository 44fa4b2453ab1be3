"""Repeated lines that OCR changes from page to page (workers/ocr/role_fuzzy.py), on pages the tests make."""

from __future__ import annotations

from workers.ocr.line_cues import DROPPED, PageLines
from workers.ocr.role_fuzzy import fold
from workers.ocr.roles import classify_deck

TOPICS = [
    "Empirical risk minimisation",
    "Hoeffding inequality bounds",
    "Union bound over hypotheses",
    "Growth function of a class",
    "Shattering and VC dimension",
    "Sauer lemma statement",
    "Symmetrisation with a ghost sample",
    "Rademacher averages",
    "Uniform convergence theorem",
    "Sample complexity in practice",
    "Stability of learning algorithms",
    "Open questions for next week",
]


NOISY_FOOTERS = [
    "Massachusetts Institute of Technology 9.520 Fall 2013",
    "Ma55achusetts Institute of Technology 9.520 Fall 2013",
    "Massachusetts lnstitute of Technology 9.52O Fall 2013",
    "Massachusets Institute of Techno1ogy 9.520 Fal 2013",
    "Massachusetts Institute of Technollogy 9.520 FaIl 2013",
    "Massachusetts Institute of Tech nology 9.520 Fall 2O13",
    "Massachusetts Instltute of Technology 9.520 Fall 2013",
    "Massachusetts Institute ot Technology 9.5Z0 Fall 2013",
    "Massachusctts Institute of Technology 9.520 Fall 2013",
    "Massachusetts Institute of Technoiogy 9.520 Fa11 2013",
]


def _body(k: int) -> list[str]:
    return [
        f"The {TOPICS[k].lower()} step uses {k + 2} assumptions",
        f"Proof sketch number {k} relies on a bound of order {k + 3}",
        f"Remark {k}: the constant depends on the sample of size {10 * k + 5}",
        f"Compare with result {k + 1} from the previous part of {TOPICS[k].split()[0].lower()}",
    ]


def test_fold_makes_ocr_variants_agree() -> None:
    assert fold("Ma55achusetts lnstitute of Techno1ogy 12") == fold("Massachusetts Institute of Technology 7")


def test_footer_varying_by_ocr_noise_is_found() -> None:
    pages = [PageLines(lines=[TOPICS[k], *_body(k), NOISY_FOOTERS[k]]) for k in range(10)]
    roles = classify_deck(pages)
    assert [page_roles[-1] for page_roles in roles] == ["footer"] * 10
    assert all(page_roles[1] not in DROPPED for page_roles in roles)  # the content stays


def test_watermark_in_the_middle_of_pages_is_found() -> None:
    stamps = [
        "Scanned with CamScanner Pro",
        "Scanned with CamScanner Pr0",
        "Scannecl with CamScanner Pro",
        "Scanned wlth CamScanner Pro",
        "Scanned with CamScaner Pro",
        "Scanned with CarnScanner Pro",
        "Scanned with CamScanner Pro.",
        "Scanned witth CamScanner Pro",
    ]
    pages = []
    for k in range(8):
        body = [
            *_body(k),
            f"Exercise {k}: bound the error of {TOPICS[k].lower()}",
            f"Hint: start from the {TOPICS[k].split()[-1].lower()}",
        ]
        pages.append(PageLines(lines=[TOPICS[k], *body[:3], stamps[k], *body[3:]]))
    roles = classify_deck(pages)
    assert all(page_roles[4] in DROPPED for page_roles in roles)
    kept = [(k, i) for k, page_roles in enumerate(roles) for i, r in enumerate(page_roles) if r in DROPPED]
    assert kept == [(k, 4) for k in range(8)]


def test_repeated_content_lines_stay_content() -> None:
    """A slide title continued over a section and a build-up's bullets repeat on consecutive pages."""
    build_up = [
        "• Training error falls as the class grows",
        "• Estimation error grows with the VC dimension",
        "• The bound balances the two terms",
        "• Structural risk minimisation picks the class",
    ]
    pages = []
    for k in range(12):
        if 3 <= k <= 6:
            lines = ["Bias and variance (continued)", *build_up[: k - 2], f"Slide note {k} on the trade-off"]
        else:
            lines = [TOPICS[k], *_body(k)]
        pages.append(PageLines(lines=lines))
    roles = classify_deck(pages)
    for k in range(3, 7):
        assert roles[k][0] not in DROPPED, k
        assert all(r not in DROPPED for r in roles[k][1 : 1 + k - 2]), k


SPLIT = {
    2: ("Massachusetts lnstitute of", "Techno1ogy 9.520 Fall 2013"),
    5: ("Massachusets Institute of", "Technology 9.52O Fall 2013"),
    8: ("Ma55achusetts Institute of", "Technoiogy 9.520 Fa1l 2013"),
}


def test_a_running_line_split_in_two_by_ocr_is_dropped_whole_and_its_neighbour_kept() -> None:
    pages = []
    for k in range(10):
        if k in (2, 5, 8):  # OCR cut the footer in two lines; a short content line sits above it
            lines = [
                TOPICS[k],
                *_body(k),
                f"{TOPICS[k].split()[0]} ok",
                *SPLIT[k],
            ]
        else:
            lines = [TOPICS[k], *_body(k), NOISY_FOOTERS[k]]
        pages.append(PageLines(lines=lines))
    roles = classify_deck(pages)
    for k in (2, 5, 8):
        assert roles[k][-2:] == ["footer", "footer"], k
        assert roles[k][-3] not in DROPPED, k
