"""Reading the file: its size, its encoding (UTF-8, or a clear word on what else it is), and
its CSV records with the delimiter it uses, decoded as they are read: a file of 200,000 rows
(60 MB) is never in memory at once."""

import codecs
import csv
import io
import itertools
import os
import re

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .header import header_votes
from .report import ImportFileError, Problem

MAX_BYTES = 10 * 1024 * 1024
LEGACY_ENCODINGS = {
    "cp949": gettext_lazy("CP949 (Korean Windows)"),
    "gb18030": gettext_lazy("GB18030 (Chinese Windows)"),
}


def too_large_message(limit=MAX_BYTES):
    return _(
        "The file is larger than %(limit)s, the most that can be imported at once. "
        "Split it into smaller files."
    ) % {"limit": filesizeformat(limit)}


HEAD_BYTES = 64 * 1024  # what the checks of the file's kind look at
SAMPLE_BYTES = 4 * 1024 * 1024  # what names the encoding of a file that is not UTF-8


class _Limited(io.RawIOBase):
    """The file, read through a counter that refuses to read past the limit (None: none)."""

    def __init__(self, file, limit):
        self.file, self.limit, self.count = file, limit, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        wanted = (
            len(buffer) if self.limit is None else min(len(buffer), self.limit + 1 - self.count)
        )
        data = self.file.read(wanted)
        self.count += len(data)
        if self.limit is not None and self.count > self.limit:
            raise ImportFileError(too_large_message(self.limit))
        buffer[: len(data)] = data
        return len(data)


def open_text(file, max_bytes):
    """Return the file's text as a stream of lines, decoded as it is read.

    Raise ImportFileError if the file is larger than max_bytes (None: any size), or is a
    workbook or UTF-16; a byte that is not UTF-8 raises it when the reading reaches it.
    """
    size = _size_of(file)
    if max_bytes is not None and size is not None and size > max_bytes:
        raise ImportFileError(too_large_message(max_bytes))
    buffered = io.BufferedReader(_Limited(file, max_bytes), buffer_size=HEAD_BYTES)
    _check_head(buffered.peek(HEAD_BYTES)[:HEAD_BYTES])
    return io.TextIOWrapper(buffered, encoding="utf-8-sig", newline="")


def _check_head(head):
    if head.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _("This is a spreadsheet workbook (such as .xlsx), not a CSV file.")
            + " "
            + _save_as_utf8()
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _utf16_without_bom(head):
        raise ImportFileError(_("This file is UTF-16 text, not UTF-8.") + " " + _save_as_utf8())


def explain_encoding(file):
    """Raise the ImportFileError that names what the file is, when it is not UTF-8."""
    file.seek(0)
    data = file.read(SAMPLE_BYTES)
    decode(data[: data.rfind(b"\n") + 1] if len(data) == SAMPLE_BYTES else data)
    raise ImportFileError(_("This file is not UTF-8 text.") + " " + _save_as_utf8())


def _size_of(file):
    size = getattr(file, "size", None)
    if size is None:
        try:
            size = os.fstat(file.fileno()).st_size
        except (AttributeError, OSError, io.UnsupportedOperation):
            return None
    return size


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
                # The head of a file may end within a character.
                codecs.getincrementaldecoder(encoding)().decode(data, final=False)
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


def records(file, *, max_bytes=MAX_BYTES):
    """Yield (line where the record starts, cells) of each CSV record of the binary file.

    The file is decoded as it is read, so its text is never in memory at once.
    """
    text = open_text(file, max_bytes)
    try:
        first = text.readline()
        reader = csv.reader(itertools.chain([first], text), delimiter=_delimiter(first))
        line = 1
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except UnicodeDecodeError:
        explain_encoding(file)
    except csv.Error as error:
        raise ImportFileError(
            Problem(line, "", _("This line is not valid CSV: %(error)s.") % {"error": error})
        ) from error
    finally:
        text.detach()  # the caller closes the file


def _delimiter(first):
    """Return ",", or ";" or a tab when the first line is separated by those instead."""
    if "," not in first:
        for delimiter in (";", "\t"):
            if delimiter in first:
                return delimiter
    return ","
