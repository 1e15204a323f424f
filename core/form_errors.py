"""Focus on the first mistake: a form sent back with errors puts the keyboard on the first field to correct, the
way a screen-reader or keyboard user needs it, without JavaScript (the page is served again by the server, so the
`autofocus` attribute does it). The field also points at its error message."""

from __future__ import annotations


class FocusFirstErrorMixin:
    """Mix into a Django form; `focus_order` lists the fields in the order the page shows them (default: the
    form's own order)."""

    focus_order: tuple[str, ...] = ()
    # How the page's template names a field's error list after the field's id.
    error_id_suffix = "-errors"

    def full_clean(self) -> None:
        super().full_clean()
        if not self.is_bound or not self._errors:
            return
        order = [name for name in self.focus_order if name in self.fields] or list(self.fields)
        invalid = [name for name in order if name in self._errors]
        for name in invalid:
            self.fields[name].widget.attrs["aria-describedby"] = f"{self[name].auto_id}{self.error_id_suffix}"
        if invalid:
            self.fields[invalid[0]].widget.attrs["autofocus"] = True
