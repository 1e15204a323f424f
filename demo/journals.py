"""Whistleblower reports and inducement notifications: entirely fictional, and each one says so in its text."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from whistleblowers.choices import BasisOfKnowledge, CaseStatus, Channel

KYIV = ZoneInfo("Europe/Kyiv")

NUMBER_PATTERN = "{seq}/{year}-В"

# Registered reports of ДМС; the registration number follows NUMBER_PATTERN.
REPORTS = (
    {
        "year": 2024,
        "sequence": 1,
        "received_at": datetime(2024, 2, 12, 10, 15, tzinfo=KYIV),
        "channel": Channel.WEB_FORM,
        "basis_of_knowledge": BasisOfKnowledge.PROCEDURES,
        "is_anonymous": True,
        "summary": "Демонстраційне повідомлення: вимагання неправомірної вигоди за позачергове оформлення паспорта "
        "громадянина України для виїзду за кордон.",
        "details": "Демонстраційний текст, усі обставини вигадані. Під час подання документів працівник сектору "
        "прийому запропонував «прискорити» оформлення паспорта за 3 000 гривень поза офіційною оплатою.",
        "accused": "Працівник сектору прийому документів (прізвище не зазначено).",
        "place_and_time": "Умовний підрозділ у м. Києві, лютий 2024 року.",
        "accused_unit": ("ЦМУ ДМС", "УГПР"),
        "status": CaseStatus.VERIFICATION,
        "verification_started_on": date(2024, 2, 23),
        "status_changed_on": date(2024, 2, 23),
        "message": "Дякуємо за повідомлення. Для перевірки просимо вказати дату звернення та номер вікна прийому. "
        "Відомості про вас не розголошуються.",
        "message_at": datetime(2024, 2, 23, 11, 0, tzinfo=KYIV),
    },
    {
        "year": 2024,
        "sequence": 2,
        "received_at": datetime(2024, 3, 4, 14, 40, tzinfo=KYIV),
        "channel": Channel.EMAIL,
        "basis_of_knowledge": BasisOfKnowledge.WORK,
        "is_anonymous": False,
        "summary": "Демонстраційне повідомлення: можливий конфлікт інтересів члена конкурсної комісії під час "
        "добору на посаду державної служби.",
        "details": "Демонстраційний текст, усі обставини вигадані. Член конкурсної комісії оцінював кандидата, який "
        "є його родичем, і не повідомив про конфлікт інтересів.",
        "accused": "Член конкурсної комісії (умовна особа).",
        "place_and_time": "Апарат ДМС, лютий 2024 року.",
        "accused_unit": ("ДМС", "УП"),
        "status": CaseStatus.CLOSED,
        "status_changed_on": date(2024, 4, 12),
        "verification_started_on": date(2024, 3, 14),
        "outcome": "Демонстраційний результат: під час перевірки факти не підтвердилися; членам конкурсних комісій "
        "роз’яснено порядок врегулювання конфлікту інтересів.",
        "closed_on": date(2024, 4, 12),
        "reporter_informed_on": date(2024, 4, 15),
        "identity": {
            "full_name": "Демонстраційна особа: Іваненко Петро Олексійович",
            "contacts": "p.ivanenko@demo.invalid",
            "position": "працівник апарату ДМС (умовно)",
        },
    },
    {
        "year": 2024,
        "sequence": 3,
        "received_at": datetime(2024, 5, 20, 9, 5, tzinfo=KYIV),
        "channel": Channel.PHONE,
        "basis_of_knowledge": BasisOfKnowledge.BUSINESS,
        "is_anonymous": True,
        "summary": "Демонстраційне повідомлення: можливе завищення вартості ремонту приміщення територіального "
        "підрозділу під час публічної закупівлі.",
        "details": "Демонстраційний текст, усі обставини вигадані. Учасник закупівлі повідомив, що технічні вимоги "
        "складено під одного постачальника, а очікувана вартість удвічі перевищує ринкову.",
        "accused": "",
        "place_and_time": "Умовна закупівля, квітень 2024 року.",
        "accused_unit": ("ДМС", "УРГЗКБ"),
        "status": CaseStatus.PRELIMINARY_REVIEW,
        "status_changed_on": date(2024, 5, 21),
    },
)

INDUCEMENTS = (
    {
        "organisation": "ДМС",
        "year": 2024,
        "sequence": 1,
        "registered_on": date(2024, 1, 22),
        "incoming_number": "17/38-24",
        "incoming_date": date(2024, 1, 22),
        "notifier": "Демонстраційний запис: головний спеціаліст ЦМУ ДМС (умовна особа), письмове повідомлення.",
        "summary": "Демонстраційне повідомлення: відвідувач запропонував грошову винагороду за оформлення посвідки "
        "на тимчасове проживання без повного пакета документів; працівник відмовився.",
        "sheets": 2,
        "resolution": "ВПЗВК: перевірити обставини та невідкладно поінформувати Національну поліцію України.",
        "resolution_due": date(2024, 1, 23),
        "executor": "ВПЗВК",
        "receipt_acknowledged_on": date(2024, 1, 22),
        "executed_document_number": "17/41-24",
        "executed_document_date": date(2024, 1, 23),
        "case_file_number": "17-06",
    },
    {
        "organisation": "ДМС",
        "year": 2024,
        "sequence": 2,
        "registered_on": date(2024, 6, 10),
        "incoming_number": "17/305-24",
        "incoming_date": date(2024, 6, 10),
        "notifier": "Демонстраційний запис: провідний спеціаліст УРГЗКБ (умовна особа), письмове повідомлення.",
        "summary": "Демонстраційне повідомлення: представник учасника закупівлі запропонував «віддячити» за зміну "
        "технічних вимог до предмета закупівлі; працівник відмовився.",
        "sheets": 1,
        "resolution": "ВПЗВК: провести перевірку, за наявності ознак правопорушення повідомити НАБУ.",
        "resolution_due": date(2024, 6, 11),
        "executor": "ВПЗВК",
        "receipt_acknowledged_on": date(2024, 6, 10),
        "case_file_number": "17-06",
    },
    {
        "organisation": "ГСМ при ПКР",
        "year": 2017,
        "sequence": 1,
        "registered_on": date(2017, 4, 18),
        "incoming_number": "14",
        "incoming_date": date(2017, 4, 18),
        "notifier": "Демонстрационная запись: специалист отдела по работе с иностранными гражданами (условное лицо).",
        "summary": "Демонстрационное уведомление: посетитель предложил денежное вознаграждение за ускоренное "
        "оформление разрешения на работу; сотрудник отказался.",
        "sheets": 1,
        "resolution": "Уполномоченному по вопросам предупреждения коррупции: провести проверку, проинформировать "
        "правоохранительные органы.",
        "resolution_due": date(2017, 4, 19),
        "executor": "К. Бекмуратов",
        "receipt_acknowledged_on": date(2017, 4, 18),
        "case_file_number": "01-12",
    },
)
