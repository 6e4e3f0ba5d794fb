"""Reading the file: its size, its encoding (UTF-8, or a clear word on what else it is), and
its CSV records with the delimiter it uses."""

import codecs
import csv
import io
import os
import re

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .parse import header_votes
from .report import ImportFileError, Problem

MAX_BYTES = 10 * 1024 * 1024
LEGACY_ENCODINGS = {
    "cp949": gettext_lazy("CP949 (Korean Windows)"),
    "gb18030": gettext_lazy("GB18030 (Chinese Windows)"),
}


def too_large_message():
    return _(
        "The file is larger than %(limit)s, the most that can be imported at once. "
        "Split it into smaller files."
    ) % {"limit": filesizeformat(MAX_BYTES)}


def read_text(file):
    """Return the text of a binary file; raise ImportFileError if it is too large, not
    UTF-8 text, or empty."""
    text = decode(read_limited(file))
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    return text


def _size_of(file):
    size = getattr(file, "size", None)
    if size is None:
        try:
            size = os.fstat(file.fileno()).st_size
        except (AttributeError, OSError, io.UnsupportedOperation):
            return None
    return size


def read_limited(file):
    """Return the file's bytes; refuse a file over MAX_BYTES without reading all of it."""
    size = _size_of(file)
    if size is not None and size > MAX_BYTES:
        raise ImportFileError(too_large_message())
    data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(too_large_message())
    return data


def _save_as_utf8():
    return _("Save it as “CSV UTF-8” (in Excel: File › Save As) and import it again.")


def decode(data):
    """Return the text of UTF-8 bytes, with or without a BOM; name any other encoding.

    A NUL in UTF-8 text is left to the rows, which say on which line it is.
    """
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _("This is a spreadsheet workbook (such as .xlsx), not a CSV file.")
            + " "
            + _save_as_utf8()
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(data):
        raise ImportFileError(_("This file is UTF-16 text, not UTF-8.") + " " + _save_as_utf8())
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\0" in data:
        raise ImportFileError(_("This is a binary file, not a CSV file.") + " " + _save_as_utf8())
    encoding = _legacy_encoding(data)
    if encoding is None:
        raise ImportFileError(_("This file is not UTF-8 text.") + " " + _save_as_utf8())
    raise ImportFileError(
        _("This file looks like %(encoding)s text, not UTF-8.")
        % {"encoding": LEGACY_ENCODINGS[encoding]}
        + " "
        + _save_as_utf8()
    )


def _utf16_without_bom(data):
    """Return True for UTF-16 text without a BOM, which writes each ASCII character as a
    NUL and a byte that is not: mostly NULs in every other byte, few in the others."""
    for parity, encoding in ((1, "utf-16-le"), (0, "utf-16-be")):
        high_bytes, low_bytes = data[parity::2], data[1 - parity :: 2]
        mostly_nul = high_bytes.count(0) * 2 > len(high_bytes)
        if mostly_nul and low_bytes.count(0) * 2 < len(low_bytes):
            try:
                data.decode(encoding)
            except UnicodeDecodeError:
                continue
            return True
    return False


def _legacy_encoding(data):
    """Return "cp949" or "gb18030" when the bytes read as Korean or Chinese text, else None.

    Each decodes most of the other's text into plausible characters, so the header row
    decides first (it is in the export's language), then the share of Hangul.
    """
    if all(len(run) == 1 for run in re.findall(rb"[\x80-\xff]+", data)):
        return None  # lone high bytes: a single-byte code page such as Windows-1252
    texts = {}
    for encoding in LEGACY_ENCODINGS:
        try:
            texts[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    first_lines = {encoding: text.split("\n", 1)[0] for encoding, text in texts.items()}
    for encoding, language in (("cp949", "ko"), ("gb18030", "zh-hans")):
        if encoding in texts:
            # Only headers that are not ASCII tell Korean and Chinese apart ("ID" is both).
            cells = [cell for cell in first_lines[encoding].split(",") if not cell.isascii()]
            if language in header_votes(cells):
                return encoding
    # Chinese bytes read as CP949 give Hangul mixed with many Hanja; Korean gives Hangul.
    if "cp949" in texts and _hangul_share(texts["cp949"]) >= 0.9:
        return "cp949"
    return "gb18030" if "gb18030" in texts else next(iter(texts), None)


def _hangul_share(text):
    hangul = sum(1 for char in text if "\uac00" <= char <= "\ud7a3")
    hanzi = sum(1 for char in text if "\u4e00" <= char <= "\u9fff")
    return hangul / (hangul + hanzi) if hangul + hanzi else 0


def records(text):
    """Yield (line where the record starts, cells) of each CSV record of the text."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise ImportFileError(
            Problem(line, "", _("This line is not valid CSV: %(error)s.") % {"error": error})
        ) from error


def _delimiter(text):
    """Return ",", or ";" or a tab when the first line is separated by those instead."""
    first = text.split("\n", 1)[0]
    if "," not in first:
        for delimiter in (";", "\t"):
            if delimiter in first:
                return delimiter
    return ","
