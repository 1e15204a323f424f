"""ДМС: the body, its units and subordinate bodies, the commission, its meetings and the 2023–2025 program.

Unit names are the abbreviation list of seed 000; the commission's name, its founding order and its chair come from
seed 000 §II/§IV; the approval order № 69 of 30.03.2023 and protocols № 2 and № 3 from seed 001. The units of the
subordinate bodies, the other commission members, the dates of the program's lifecycle, protocol № 1 of 2023 and
of 2024 and the approvals of the period reports are invented.
"""

from __future__ import annotations

from datetime import date

from core.periods import PeriodKind
from programs.choices import CommissionRole, OrganisationKind, ProgramStatus

ORGANISATION = {
    "name": "Державна міграційна служба України",
    "name_genitive": "Державної міграційної служби України",
    "short_name": "ДМС",
    "kind": OrganisationKind.CENTRAL,
    "country": "UA",
    "website": "https://dmsu.gov.ua",
    "address": "вул. Володимирська, 9, м. Київ",
}

# (abbreviation, full name) — the units among the abbreviations of seed 000.
UNITS = (
    ("ВВА", "Відділ внутрішнього аудиту"),
    ("ВПЗВК", "Відділ з питань запобігання та виявлення корупції"),
    ("ДГПР", "Департамент з питань громадянства, паспортизації та реєстрації"),
    ("ДІТЗІ", "Департамент інформатизації, телекомунікацій та захисту інформації"),
    ("УКЕС", "Управління комунікацій та електронних сервісів"),
    ("УП", "Управління персоналу"),
    ("УРГЗКБ", "Управління ресурсно-господарського забезпечення та капітального будівництва"),
    ("УФЗБС", "Управління фінансового забезпечення та бухгалтерської служби"),
    ("УЮЗ", "Управління юридичного забезпечення"),
)

CHILDREN = (
    {
        "name": "Центральне міжрегіональне управління ДМС у м. Києві та Київській області",
        "name_genitive": "Центрального міжрегіонального управління ДМС у м. Києві та Київській області",
        "short_name": "ЦМУ ДМС",
        "kind": OrganisationKind.TERRITORIAL,
        "country": "UA",
        "address": "м. Київ",
        "units": (
            ("СПЗВК", "Сектор з питань запобігання та виявлення корупції"),
            ("УГПР", "Управління з питань громадянства, паспортизації та реєстрації"),
            ("ВІГ", "Відділ у справах іноземців та осіб без громадянства"),
        ),
    },
    {
        "name": "Головне управління ДМС у Львівській області",
        "name_genitive": "Головного управління ДМС у Львівській області",
        "short_name": "ГУДМС у Львівській обл.",
        "kind": OrganisationKind.TERRITORIAL,
        "country": "UA",
        "address": "м. Львів",
        "units": (
            ("СПЗВК", "Сектор з питань запобігання та виявлення корупції"),
            ("УГПР", "Управління з питань громадянства, паспортизації та реєстрації"),
        ),
    },
    {
        "name": "Державне підприємство «Документ»",
        "name_genitive": "Державного підприємства «Документ»",
        "short_name": "ДП «Документ»",
        "kind": OrganisationKind.ENTERPRISE,
        "country": "UA",
        "address": "м. Київ",
        "units": (
            ("УОЗК", "Уповноважена особа з питань запобігання та виявлення корупції"),
            ("ВК", "Відділ кадрів"),
            ("ВЗ", "Відділ закупівель"),
        ),
    },
)

COMMISSION = {
    "name": "Комісія з оцінки корупційних ризиків і моніторингу виконання антикорупційної програми "
    "Державної міграційної служби України",
    "established_by": "Наказ ДМС від 08.02.2017 № 22 «Про утворення Комісії з оцінки корупційних ризиків і "
    "моніторингу виконання антикорупційної програми Державної міграційної служби України та затвердження "
    "Положення»",
}

# full_name, position, role, username of the linked demo account ("" for none).
COMMISSION_MEMBERS = (
    ("Н.М. Науменко", "перший заступник Голови ДМС", CommissionRole.CHAIR, ""),
    (
        "І.В. Марченко",
        "директор Департаменту з питань громадянства, паспортизації та реєстрації",
        CommissionRole.DEPUTY,
        "",
    ),
    (
        "Т.І. Петренко",
        "головний спеціаліст Відділу з питань запобігання та виявлення корупції",
        CommissionRole.SECRETARY,
        "secretary",
    ),
    ("О.М. Ковальчук", "начальник Управління юридичного забезпечення", CommissionRole.MEMBER, "commission"),
    ("С.П. Гнатюк", "начальник Управління персоналу", CommissionRole.MEMBER, ""),
    (
        "Р.О. Савчук",
        "начальник Управління фінансового забезпечення та бухгалтерської служби – головний бухгалтер",
        CommissionRole.MEMBER,
        "",
    ),
    (
        "І.А. Левченко",
        "заступник директора Департаменту інформатизації, телекомунікацій та захисту інформації",
        CommissionRole.MEMBER,
        "",
    ),
    (
        "М.В. Руденко",
        "експерт з антикорупційної політики Представництва Міжнародної організації з міграції в Україні (за згодою)",
        CommissionRole.EXPERT,
        "",
    ),
)

PLACE = "м. Київ, вул. Володимирська, 9"


def approval(period: tuple, label: str, publish: str) -> dict:
    """An agenda item approving the execution report of a period; approving it locks the period."""
    return {
        "approves": period,
        "title": f"Про затвердження звіту про стан виконання Антикорупційної програми ДМС на 2023–2025 роки за {label}",
        "heard": f"Т.І. Петренко, секретаря Комісії, яка доповіла узагальнену інформацію структурних підрозділів про "
        f"стан виконання заходів Антикорупційної програми ДМС за {label}.",
        "decided": f"1. Затвердити звіт про стан виконання Антикорупційної програми ДМС за {label}.\n2. {publish}",
    }


PUBLISH = "ВПЗВК забезпечити оприлюднення звіту на офіційному веб-сайті ДМС."

# Protocols № 2 and № 3 of 2023 are cited by seed 001; their one item each is written for the demo from what seed 001
# reports. Protocol № 1 of 2023, protocol № 1 of 2024 and their approvals of the period reports are invented.
MEETINGS = (
    {
        "number": 1,
        "held_on": date(2023, 7, 21),
        "absent": ("І.А. Левченко",),
        "items": (
            approval((PeriodKind.QUARTER, 2023, 1), "І квартал 2023 року", PUBLISH),
            approval((PeriodKind.QUARTER, 2023, 2), "ІІ квартал 2023 року", PUBLISH),
            approval((PeriodKind.HALF_YEAR, 2023, 1), "І півріччя 2023 року", PUBLISH),
        ),
    },
    {
        "number": 2,
        "held_on": date(2023, 9, 29),
        "absent": ("М.В. Руденко",),
        "items": (
            {
                "period": (PeriodKind.QUARTER, 2023, 3),
                "title": "Про проведення тренінгу «Доброчесність як необхідна морально-етична складова діяльності "
                "державного службовця»",
                "heard": "Т.І. Петренко, секретаря Комісії, яка поінформувала про проведення у ІІІ кварталі 2023 року "
                "для працівників уповноважених підрозділів (уповноважених осіб) територіальних органів ДМС тренінгу "
                "щодо доброчесності як необхідної морально-етичної складової діяльності державного службовця, участь "
                "у якому взяли 27 осіб.",
                "decided": "1. Інформацію взяти до відома.\n"
                "2. Вважати захід 3) завдання 1 розділу І додатка 3 до Антикорупційної програми ДМС на 2023–2025 "
                "роки виконаним у ІІІ кварталі 2023 року.\n"
                "3. ВПЗВК разом з УКЕС забезпечити розміщення інформації про проведений захід на офіційному "
                "веб-сайті ДМС.",
            },
        ),
    },
    {
        "number": 3,
        "held_on": date(2023, 12, 25),
        "absent": (),
        "items": (
            {
                "period": (PeriodKind.QUARTER, 2023, 4),
                "title": "Про проведення лекції «Викривачі корупції, їх права гарантії захисту викривачів за "
                "законодавством України»",
                "heard": "Т.І. Петренко, секретаря Комісії, яка поінформувала про проведення у ІV кварталі 2023 року "
                "навчання для працівників уповноважених підрозділів (уповноважених осіб) територіальних органів ДМС "
                "щодо дотримання вимог розділу VIII «Захист викривачів» Закону України «Про запобігання корупції», "
                "участь у якому взяли 26 осіб.",
                "decided": "1. Інформацію взяти до відома.\n"
                "2. Вважати захід 4) завдання 1 розділу І додатка 3 до Антикорупційної програми ДМС на 2023–2025 "
                "роки виконаним у ІV кварталі 2023 року.\n"
                "3. ВПЗВК узагальнити до 15.01.2024 інформацію про стан виконання Антикорупційної програми ДМС у "
                "2023 році та подати її на розгляд Комісії.",
            },
        ),
    },
    {
        "number": 1,
        "held_on": date(2024, 1, 26),
        "absent": ("М.В. Руденко",),
        "items": (
            approval((PeriodKind.QUARTER, 2023, 3), "ІІІ квартал 2023 року", PUBLISH),
            approval((PeriodKind.QUARTER, 2023, 4), "ІV квартал 2023 року", PUBLISH),
            approval((PeriodKind.HALF_YEAR, 2023, 2), "ІІ півріччя 2023 року", PUBLISH),
            approval(
                (PeriodKind.YEAR, 2023, 1),
                "2023 рік",
                "ВПЗВК оприлюднити звіт на офіційному веб-сайті ДМС та подати його в особистому кабінеті Порталу "
                "доброчесності на офіційному веб-сайті НАЗК.",
            ),
        ),
    },
)

PROGRAM = {
    "title": "Антикорупційна програма Державної міграційної служби України на 2023–2025 роки",
    "start_year": 2023,
    "end_year": 2025,
    "status": ProgramStatus.IN_FORCE,
    "approval_order_number": "69",
    "approval_order_date": date(2023, 3, 30),
    "published_url": "https://dmsu.gov.ua/diyalnist/corruption/antikorupczijna-programa-dms.html",
    # Seed 001 opens as the annex to the body's own report, and words two column headings for trainings.
    "report_annex_heading": (
        "Додаток 3\nдо Звіту про стан виконання\n{period} Антикорупційної програми Державної міграційної служби "
        "України на 2023–2025 роки"
    ),
    "report_title": (
        "Інформація про стан виконання {period} заходів, визначених\nу додатку 3 до Антикорупційної програми ДМС на "
        "2023-2025 роки"
    ),
    "report_columns": (
        "Найменування завдання\nЗміст заходу\nСтрок виконання\n"
        "Підрозділ, відповідальний за проведення навчального заходу\nЦільова аудиторія навчального заходу\n"
        "Індикатор виконання (очікуваний результат)\nСтан виконання"
    ),
}
RISK_MATRIX = "nazk-2021"

# (from, to, date, reason, document number, document date): order № 69 is real, the other dates are plausible.
STATUS_HISTORY = (
    (
        ProgramStatus.DRAFT,
        ProgramStatus.PUBLIC_DISCUSSION,
        date(2023, 2, 1),
        "Проєкт оприлюднено на офіційному веб-сайті ДМС для публічного громадського обговорення.",
        "",
        None,
    ),
    (
        ProgramStatus.PUBLIC_DISCUSSION,
        ProgramStatus.APPROVED,
        date(2023, 3, 30),
        "Затверджено наказом ДМС «Про затвердження Антикорупційної програми Державної міграційної служби України на "
        "2023-2025 роки».",
        "69",
        date(2023, 3, 30),
    ),
    (
        ProgramStatus.APPROVED,
        ProgramStatus.SUBMITTED,
        date(2023, 3, 31),
        "Подано на погодження до Національного агентства з питань запобігання корупції.",
        "",
        None,
    ),
    (
        ProgramStatus.SUBMITTED,
        ProgramStatus.AGREED,
        date(2023, 5, 12),
        "Погоджено Національним агентством з питань запобігання корупції.",
        "",
        None,
    ),
    (ProgramStatus.AGREED, ProgramStatus.IN_FORCE, date(2023, 5, 15), "Програма набрала чинності.", "", None),
)

# The first quarter of 2024 is before the commission: sent for review on this day.
UNDER_REVIEW = {(PeriodKind.QUARTER, 2024, 1): date(2024, 4, 16)}
YEAR_2023_CONCLUSION = (
    "Заходи додатка 3 до Антикорупційної програми (програма антикорупційних навчань і заходи з поширення інформації) "
    "у 2023 році виконано в повному обсязі та у встановлені строки."
)
