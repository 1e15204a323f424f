"""Demo accounts: one per role in ДМС, a platform superuser and two accounts of ГСМ при ПКР.

The ДМС people are fictional. К. Бекмуратов is the responsible officer named in the Kyrgyz Form 1 report (seed 004),
with the contacts printed in its header.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.roles import Role


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    organisation: str = ""  # short name; empty for the platform superuser
    role: str = ""
    unit: str = ""  # abbreviation; reporters only
    position: str = ""
    phone: str = ""
    email: str = ""
    is_superuser: bool = False

    @property
    def address(self) -> str:
        return self.email or f"{self.username}@demo.invalid"


DMS = "ДМС"
GSM = "ГСМ при ПКР"

USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "secretary",
        "Тетяна",
        "Петренко",
        DMS,
        Role.SECRETARY,
        position="головний спеціаліст Відділу з питань запобігання та виявлення корупції, секретар Комісії",
        phone="+380 44 000 00 11",
    ),
    DemoUser(
        "reporter",
        "Оксана",
        "Мельник",
        DMS,
        Role.REPORTER,
        unit="УП",
        position="головний спеціаліст Управління персоналу",
        phone="+380 44 000 00 12",
    ),
    DemoUser(
        "reporter2",
        "Андрій",
        "Бондаренко",
        DMS,
        Role.REPORTER,
        unit="ВПЗВК",
        position="провідний спеціаліст Відділу з питань запобігання та виявлення корупції",
        phone="+380 44 000 00 13",
    ),
    DemoUser(
        "commission",
        "Олена",
        "Ковальчук",
        DMS,
        Role.COMMISSION,
        position="начальник Управління юридичного забезпечення, член Комісії",
        phone="+380 44 000 00 14",
    ),
    DemoUser("manager", "Віктор", "Шевчук", DMS, Role.MANAGER, position="заступник Голови ДМС"),
    DemoUser(
        "officer",
        "Наталія",
        "Кравченко",
        DMS,
        Role.OFFICER,
        position="начальник Відділу з питань запобігання та виявлення корупції (уповноважений підрозділ)",
        phone="+380 44 000 00 15",
    ),
    DemoUser(
        "orgadmin",
        "Юрій",
        "Ткаченко",
        DMS,
        Role.ADMIN,
        position="головний спеціаліст Департаменту інформатизації, телекомунікацій та захисту інформації",
    ),
    DemoUser("admin", "Сергій", "Гончаренко", is_superuser=True),
    DemoUser(
        "kg-secretary",
        "Айгуль",
        "Токтогулова",
        GSM,
        Role.SECRETARY,
        position="главный специалист отдела кадрового обеспечения и делопроизводства",
    ),
    DemoUser(
        "kg-officer",
        "К.",
        "Бекмуратов",
        GSM,
        Role.OFFICER,
        position="уполномоченный по вопросам предупреждения коррупции",
        phone="300423",
        email="kuvankg@demo.invalid",  # the seed gives a real address; a demo must never mail a person
    ),
)
