"""A program brought in from Word: read the .docx (`reading`), show what it would change (`preview`), write it
(`services`)."""

from measures.word_import.preview import WordPreview, word_preview
from measures.word_import.reading import MAX_UPLOAD_BYTES, check_docx, read_docx, too_large
from measures.word_import.services import program_import_word

__all__ = [
    "MAX_UPLOAD_BYTES",
    "WordPreview",
    "check_docx",
    "program_import_word",
    "read_docx",
    "too_large",
    "word_preview",
]
