"""Demo data for `manage.py load_demo`: a realistic Ukrainian body (ДМС) and a Kyrgyz one (ГСМ при ПКР).

Facts and texts come from the seed documents (seed 000: the ДМС program 2020–2022 and its abbreviations; seed 001:
the 2023 execution-status table of the ДМС program 2023–2025; seed 004: the Kyrgyz Form 1 report). Everything else —
people, risks, risk-treatment measures, 2024 entries, whistleblower records — is invented for the demo and says so
where a reader could mistake it for a real record.

The data modules hold plain values only; `loader` writes them to the database.
"""

# Printed by the command and documented as public: never reuse it outside a demo.
DEMO_PASSWORD = "demo-portal-2026"
