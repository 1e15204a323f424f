"""Who reaches whistleblower records: the anti-corruption officer of the body, and of a body a case was forwarded to."""

from dataclasses import replace

from core.access import AccessRule
from core.roles import Role

# Only the authorised anti-corruption officer reads reports, identities and the inducement journal; not even a
# platform superuser bypasses this rule (art. 53-5 of the Law «Про запобігання корупції»). A report belongs to the body
# it was sent to: a parent body's officer sees the children's reports as counts only, and reads a case once it has
# been forwarded to the parent (a Forwarding with `to_organisation`).
OFFICER_ONLY = AccessRule(
    organisation="organisation",
    view=frozenset({Role.OFFICER}),
    change=frozenset({Role.OFFICER}),
    superuser_bypass=False,
    read_down=False,
)
REPORT_RULE = replace(OFFICER_ONLY, shared_with="forwardings__to_organisation")
# Everything held under a report (identity, messages, files, forwardings, notices) follows the report.
CASE_RULE = replace(
    OFFICER_ONLY, organisation="report__organisation", shared_with="report__forwardings__to_organisation"
)
