"""A program brought in from Word: read the .docx (`reading`), preview what it would change, import it (`preview`)."""

from .preview import WordPreview, program_import_word, word_preview
from .reading import MAX_UPLOAD_BYTES, check_docx, read_docx, too_large

__all__ = [
    "MAX_UPLOAD_BYTES",
    "WordPreview",
    "check_docx",
    "program_import_word",
    "read_docx",
    "too_large",
    "word_preview",
]
