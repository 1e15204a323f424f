"""Evidence references and status sentences read the way seed 001 writes them."""

from datetime import date

import pytest
from django.utils import translation

from reports.choices import EvidenceKind, ExecutionStatus
from reports.execution.evidence import EvidenceRef, evidence_phrase, evidence_problems, marker_problems, status_sentence

LETTER = EvidenceRef(kind=EvidenceKind.LETTER, issuer="ВПЗВК", number="17/112-23", on=date(2023, 3, 28))
PROTOCOL = EvidenceRef(kind=EvidenceKind.PROTOCOL, number="2", on=date(2023, 9, 29))
MEMO = EvidenceRef(kind=EvidenceKind.MEMO, issuer="УП", number="5/3", on=date(2023, 2, 1))
NARRATIVE = "У ІІІ кварталі 2023 року проведено навчання, участь у якому взяли 27 осіб"


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("ref", "text"),
    [
        (LETTER, "Letter ВПЗВК of 28.03.2023 No. 17/112-23"),
        (PROTOCOL, "protocol No. 2 of 29.09.2023"),
        (MEMO, "memo УП of 01.02.2023 No. 5/3"),
        (
            EvidenceRef(kind=EvidenceKind.ORDER, issuer="ДМС", number="125", on=date(2023, 1, 20)),
            "Order ДМС of 20.01.2023 No. 125",
        ),
        (
            EvidenceRef(kind=EvidenceKind.WEB_PAGE, url="https://dmsu.gov.ua/anticorruption"),
            "https://dmsu.gov.ua/anticorruption",
        ),
        (EvidenceRef(kind=EvidenceKind.FILE, title="Звіт про навчання.pdf"), "Звіт про навчання.pdf"),
    ],
    ids=["letter", "protocol", "memo", "order", "web-page", "file"],
)
def test_each_kind_of_evidence_reads_as_a_document_reference(ref, text):
    assert evidence_phrase(ref) == text


@pytest.mark.usefixtures("english")
@pytest.mark.parametrize(
    ("ref", "text"),
    [
        (EvidenceRef(kind=EvidenceKind.LETTER, issuer="ВПЗВК", on=date(2023, 3, 28)), "Letter ВПЗВК of 28.03.2023"),
        (EvidenceRef(kind=EvidenceKind.LETTER, issuer="ВПЗВК", number="17/112-23"), "Letter ВПЗВК No. 17/112-23"),
        (EvidenceRef(kind=EvidenceKind.LETTER, issuer="ВПЗВК"), "Letter ВПЗВК"),
        (EvidenceRef(kind=EvidenceKind.PROTOCOL, number="2"), "protocol No. 2"),
        (EvidenceRef(kind=EvidenceKind.PROTOCOL, on=date(2023, 9, 29)), "protocol of 29.09.2023"),
    ],
    ids=["no-number", "no-date", "neither", "protocol-no-date", "protocol-no-number"],
)
def test_a_missing_number_or_date_is_dropped_with_its_word(ref, text):
    assert evidence_phrase(ref) == text


@pytest.mark.usefixtures("english")
def test_a_missing_date_keeps_the_word_of_inside_the_issuers_name():
    ref = EvidenceRef(kind=EvidenceKind.LETTER, issuer="Ministry of Finance", number="12")

    assert evidence_phrase(ref) == "Letter Ministry of Finance No. 12"


@pytest.mark.usefixtures("english")
def test_a_document_title_follows_the_reference_in_guillemets():
    ref = EvidenceRef(
        kind=EvidenceKind.ORDER,
        issuer="ДМС",
        number="125",
        on=date(2023, 1, 20),
        title="Про затвердження Антикорупційної програми",
    )

    assert evidence_phrase(ref) == "Order ДМС of 20.01.2023 No. 125 «Про затвердження Антикорупційної програми»"


@pytest.mark.usefixtures("english")
def test_the_status_sentence_closes_with_the_references_in_brackets():
    sentence = status_sentence("Done", NARRATIVE + ".", [PROTOCOL])

    assert sentence == f"Done. {NARRATIVE} (protocol No. 2 of 29.09.2023)."


@pytest.mark.usefixtures("english")
def test_several_references_are_separated_by_semicolons():
    sentence = status_sentence("Partially done", "Training held", [LETTER, PROTOCOL])

    # Inside the sentence the reference starts with a small letter, as seed 001 writes «… осіб (листи ВПЗВК …)».
    assert sentence == (
        "Partially done. Training held (letter ВПЗВК of 28.03.2023 No. 17/112-23; protocol No. 2 of 29.09.2023)."
    )


def test_a_status_without_references_is_the_status_and_the_narrative():
    assert status_sentence("Done", "Training held.", []) == "Done. Training held."
    assert status_sentence("Not started", "", []) == "Not started."


def test_a_status_with_references_but_no_narrative_keeps_the_references():
    with translation.override("en"):
        # After the status word's full stop the reference opens a sentence: a capital, as in seed 001 row 1.
        assert status_sentence("Done", "", [PROTOCOL]) == "Done. (Protocol No. 2 of 29.09.2023)."


# The Ukrainian outputs need the Ukrainian catalogue (locale/uk/LC_MESSAGES/django.mo).
@pytest.mark.parametrize(
    ("ref", "text"),
    [(LETTER, "Лист ВПЗВК від 28.03.2023 № 17/112-23"), (PROTOCOL, "протокол № 2 від 29.09.2023")],
    ids=["letter", "protocol"],
)
def test_evidence_reads_in_ukrainian_as_in_the_seed_report(ref, text):
    with translation.override("uk"):
        assert evidence_phrase(ref) == text


def test_a_ukrainian_memo_names_its_issuer_date_and_number():
    with translation.override("uk"):
        text = evidence_phrase(MEMO)

    assert text.endswith("УП від 01.02.2023 № 5/3")
    assert not text.startswith("memo")


def test_a_ukrainian_reference_without_number_or_date_drops_their_words():
    with translation.override("uk"):
        assert evidence_phrase(EvidenceRef(kind=EvidenceKind.PROTOCOL, number="2")) == "протокол № 2"
        assert evidence_phrase(EvidenceRef(kind=EvidenceKind.LETTER, issuer="ВПЗВК", on=date(2023, 3, 28))) == (
            "Лист ВПЗВК від 28.03.2023"
        )


def test_the_ukrainian_status_sentence_matches_the_seed_report():
    with translation.override("uk"):
        sentence = status_sentence(str(ExecutionStatus.DONE.label), NARRATIVE + ".", [PROTOCOL])

    assert sentence == f"Виконано. {NARRATIVE} (протокол № 2 від 29.09.2023)."


@pytest.mark.parametrize(
    ("label", "narrative", "expected"),
    [
        ("Виконано", "Виконано. Проведено навчання", "Виконано. Проведено навчання"),
        ("Виконано", "виконано: проведено навчання", "Виконано. проведено навчання"),
        ("Виконано", "Виконано", "Виконано."),
        ("Виконано", "Виконано , проведено", "Виконано. проведено"),
        ("Не виконано", "Не виконано. Порядок не затверджено", "Не виконано. Порядок не затверджено"),
        # Another status word, or the word inside a longer one, is the writer's text and stays.
        ("Виконано", "Виконано частково. Проведено", "Виконано. Виконано частково. Проведено"),
        ("Виконано", "Виконанопроведено", "Виконано. Виконанопроведено"),
        ("Виконано частково", "Виконано. Проведено", "Виконано частково. Виконано. Проведено"),
    ],
)
def test_a_narrative_starting_with_the_status_word_does_not_print_it_twice(label, narrative, expected):
    assert status_sentence(label, narrative, []) == expected


@pytest.mark.parametrize(
    ("narrative", "refs", "expected"),
    [
        # Runs of spaces and tabs read as one space, whether or not a marker was replaced in the text.
        ("Проведено  навчання", [], "Виконано. Проведено навчання"),
        ("Проведено\t\tнавчання \t працівників", [], "Виконано. Проведено навчання працівників"),
        ("Проведено\tнавчання", [], "Виконано. Проведено\tнавчання"),
        ("Проведено навчання  [[1]]  для працівників.", [PROTOCOL], None),
        # A marker of a document the list does not have prints nothing, and leaves no double space behind.
        (
            "Проведено навчання [[2]] для працівників.",
            [PROTOCOL],
            "Виконано. Проведено навчання для працівників (протокол № 2 від 29.09.2023).",
        ),
        ("  Проведено навчання  ", [], "Виконано. Проведено навчання"),
    ],
)
def test_blanks_in_the_narrative_collapse_with_or_without_markers(narrative, refs, expected):
    with translation.override("uk"):
        sentence = status_sentence("Виконано", narrative, refs)
    if expected is None:  # the reference's wording is tested above: here, that no run of blanks is left around it
        assert sentence == "Виконано. Проведено навчання (протокол № 2 від 29.09.2023) для працівників."
    else:
        assert sentence == expected


def test_the_status_word_is_printed_once_before_the_references_too():
    assert status_sentence("Виконано", "Виконано. " + NARRATIVE, [PROTOCOL]) == (
        f"Виконано. {NARRATIVE} (протокол № 2 від 29.09.2023)."
    )


# --- merged references, markers in the text, what each kind needs ---------------------------------------------------

LETTER_646 = EvidenceRef(kind=EvidenceKind.LETTER, issuer="ВПЗВК", number="17/646-23", on=date(2023, 11, 8))
LETTER_692 = EvidenceRef(kind=EvidenceKind.LETTER, issuer="ВПЗВК", number="17/692-23", on=date(2023, 11, 15))


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        # Seed 001, row 1: two letters of one unit in one bracket.
        (
            [LETTER_646, LETTER_692],
            "Виконано. Проведено (листи ВПЗВК від 08.11.2023 № 17/646-23 та від 15.11.2023 № 17/692-23).",
        ),
        (
            [LETTER, LETTER_646, LETTER_692],
            "Виконано. Проведено (листи ВПЗВК від 28.03.2023 № 17/112-23, від 08.11.2023 № 17/646-23 та від "
            "15.11.2023 № 17/692-23).",
        ),
        # Another issuer or another kind is another reference.
        (
            [LETTER_646, MEMO, LETTER_692],
            "Виконано. Проведено (листи ВПЗВК від 08.11.2023 № 17/646-23 та від 15.11.2023 № 17/692-23; доповідна "
            "записка УП від 01.02.2023 № 5/3).",
        ),
        (
            [PROTOCOL, EvidenceRef(kind=EvidenceKind.PROTOCOL, number="3", on=date(2023, 12, 25))],
            "Виконано. Проведено (протоколи № 2 від 29.09.2023 та № 3 від 25.12.2023).",
        ),
    ],
    ids=["two-letters", "three-letters", "letters-and-a-memo", "two-protocols"],
)
def test_documents_of_one_kind_and_issuer_merge_as_the_seed_writes_them(refs, expected):
    with translation.override("uk"):
        assert status_sentence("Виконано", "Проведено", refs) == expected


SEED_ROW_1 = (
    "У І кварталі 2023 року проведено навчання, участь у якому взяли 232 особи. [[1]].\n"
    "Також, 09.11.2023 проведені навчання, участь у яких взяли 300 осіб"
)


def test_a_marker_puts_the_reference_where_the_writer_typed_it_and_the_rest_close_the_sentence():
    with translation.override("uk"):
        sentence = status_sentence("Виконано", SEED_ROW_1, [LETTER, LETTER_646, LETTER_692])

    assert sentence == (
        "Виконано. У І кварталі 2023 року проведено навчання, участь у якому взяли 232 особи. (Лист ВПЗВК від "
        "28.03.2023 № 17/112-23).\nТакож, 09.11.2023 проведені навчання, участь у яких взяли 300 осіб (листи ВПЗВК "
        "від 08.11.2023 № 17/646-23 та від 15.11.2023 № 17/692-23)."
    )


@pytest.mark.parametrize(
    ("narrative", "refs", "expected"),
    [
        ("Розміщено ([[1]]).", [PROTOCOL], "Виконано. Розміщено (протокол № 2 від 29.09.2023)."),
        ("Розміщено. [[1]].", [PROTOCOL], "Виконано. Розміщено. (Протокол № 2 від 29.09.2023)."),
        ("[[1]] Розміщено.", [PROTOCOL], "Виконано. (Протокол № 2 від 29.09.2023) Розміщено."),
        (
            "Розміщено [[ 1 ; 2 ]].",
            [PROTOCOL, LETTER],
            "Виконано. Розміщено (протокол № 2 від 29.09.2023; лист ВПЗВК від 28.03.2023 № 17/112-23).",
        ),
        # A document removed after the text was written: its marker does not print.
        ("Розміщено [[7]].", [PROTOCOL], "Виконано. Розміщено (протокол № 2 від 29.09.2023)."),
        (
            "Розміщено [1] і [[x]].",
            [PROTOCOL],
            "Виконано. Розміщено [1] і [[x]] (протокол № 2 від 29.09.2023).",
        ),
    ],
    ids=["own-brackets", "after-a-full-stop", "opening", "two-in-one", "removed-document", "not-markers"],
)
def test_markers_print_the_reference_in_brackets_with_the_case_of_their_place(narrative, refs, expected):
    with translation.override("uk"):
        assert status_sentence("Виконано", narrative, refs) == expected


@pytest.mark.usefixtures("english")
def test_a_marker_citing_a_document_the_list_does_not_have_is_named():
    assert marker_problems("Проведено [[1]] і [[2, 3]].", 2) == ["[[2, 3]] cites document 3, but the entry lists 2."]
    assert marker_problems("Проведено [[1]].", 1) == []


TODAY = date(2024, 1, 15)


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"kind": EvidenceKind.LETTER, "issuer": "ВПЗВК"}, {"number", "issued_on"}),
        ({"kind": EvidenceKind.LETTER, "issuer": "ВПЗВК", "number": "17/1"}, {"issued_on"}),
        ({"kind": EvidenceKind.LETTER, "number": "17/1", "issued_on": date(2023, 3, 28)}, {"issuer"}),
        ({"kind": EvidenceKind.PROTOCOL, "number": "2", "issued_on": date(2023, 9, 29)}, set()),
        ({"kind": EvidenceKind.PROTOCOL, "issued_on": date(2023, 9, 29)}, {"number"}),
        ({"kind": EvidenceKind.ORDER, "issuer": "ДМС", "number": "41", "issued_on": date(2024, 1, 16)}, {"issued_on"}),
        ({"kind": EvidenceKind.WEB_PAGE}, {"url"}),
        ({"kind": EvidenceKind.WEB_PAGE, "url": "https://dmsu.gov.ua/"}, set()),
        ({"kind": EvidenceKind.FILE}, {"file"}),
        ({"kind": "fax"}, {"kind"}),
    ],
    ids=[
        "letter-without-number-and-date",
        "letter-without-date",
        "letter-without-issuer",
        "complete-protocol",
        "protocol-without-number",
        "dated-tomorrow",
        "page-without-link",
        "page",
        "file-without-file",
        "unknown-kind",
    ],
)
def test_each_kind_of_document_is_refused_without_what_the_report_cites(data, fields):
    problems = evidence_problems(**data, has_file=False, today=TODAY)

    assert set(problems) == fields
