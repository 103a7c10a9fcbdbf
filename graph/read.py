"""Paths in, :class:`~graph.model.Document` out: formats, encodings, web-page debris, metadata.

Reports reach users as text files saved from government sites (often GB18030/GBK, with the page
furniture still in them: 发布时间, 来源, 浏览次数, 字体 大 中 小, 打印|关闭, breadcrumbs), as the
HTML pages themselves, as Word files and as PDFs. This module turns each into one plain text,
marks which lines are report content and which are debris (debris stays in ``Document.text`` so
offsets stay true, but no sentence is made of it) and reads the report's own metadata: title,
issuing body, locality, year and dates.

Every bad input raises :class:`~graph.errors.InputError` with a one-line message that says what
is wrong and what to do; the parsers of the container formats (selectolax for HTML, python-docx,
pypdf) are imported only when a file of their kind is read.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import hashlib
import io
import logging
import re
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any

from .errors import InputError
from .lexicon import Division, fold, lexicons, trie_pattern
from .model import Document, ReportMeta

__all__ = ["SUFFIXES", "MAX_BYTES", "iter_paths", "read_path", "read_bytes", "read_text", "decode"]

#: File types govkg reads (a folder is searched for these); a file named directly is read
#: whatever its suffix, by what its bytes turn out to be.
SUFFIXES: tuple[str, ...] = (".txt", ".html", ".htm", ".shtml", ".docx", ".pdf")

#: Largest file read, in bytes. Reports are well under a megabyte of text; anything this big is
#: a wrong file (or a scan, which has no text to read anyway).
MAX_BYTES = 100 * 1024 * 1024

_HTML_SUFFIXES = (".html", ".htm", ".shtml", ".xhtml")
_FORMAT_OF = {".txt": "txt", ".text": "txt", ".docx": "docx", ".pdf": "pdf"} | dict.fromkeys(_HTML_SUFFIXES, "html")
_DO = "govkg reads .txt, .html, .docx and .pdf"

class _lazy:  # noqa: N801 - stands in for re.compile
    """A regular expression compiled on first use.

    Compiling a class of Chinese ranges takes Python milliseconds; importing this module should
    not pay for patterns of formats a run never reads.
    """

    __slots__ = ("_args", "_rx")

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._rx: re.Pattern[Any] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._rx is None:
            self._rx = re.compile(*self._args)
        return getattr(self._rx, name)


_CJK = _lazy(r"[\u3400-\u9fff]")

# -- web-page debris ------------------------------------------------------------------------
# Matched against stripped, folded lines (full-width colons and brackets already half-width).
# Each alternative is anchored at the line start or tied to a label with a colon, so that a
# content sentence that merely mentions 来源 or 访问量 stays content.
_DEBRIS = _lazy(
    r"""^\s*[\[【(]?\s*(?:
        (?:发布|发表|成文|更新|印发|生效|公开|发文)?(?:时间|日期)\s*[:]
      | (?:发布|发表|更新)(?:时间|日期)\s*[0-9]{4}
      | (?:信息|文章|新闻|稿件)?来\s*源\s*[:] | 稿源\s*[:] | 出处\s*[:] | 作者\s*[:] | (?:责任)?编辑\s*[:]
      | (?:初审|复审|终审|审核|校对|签发|审稿)\s*[:]
      | 发布(?:机构|单位)\s*[:]? | 发文(?:机关|单位)\s*[:]?
      | (?:索\s*引\s*号|主题分类|体裁分类|组配分类|信息分类)\s*(?:[:\s]|$)
      | 服务对象\s*[:] | 信息类别\s*[:] | 有\s*效\s*性\s*[:] | 公开(?:方式|范围|时限|形式)\s*[:]
      | 文\s*号\s*[:] | 名\s*称\s*[:] | 关键词\s*[:] | 统一编号\s*[:]
      | (?:浏览|阅读|点击|访问)(?:次数|量|数)?\s*[:]
      | .{0,60}?(?:浏览次数|阅读次数|点击次数|点击数|点击量|访问量|浏览量|阅读量)\s*[:]
      | 字\s*[体号]\s*[:]?\s*[【\[]?\s*[大中小]
      | .*[【\[]\s*(?:打印|关闭|打印本页|关闭窗口|打印此页|返回顶部|返回首页|收藏|加入收藏|我要纠错|纠错)\s*[】\]]
      | (?:打印|关闭|打印本页|关闭窗口|打印此页|返回顶部|收藏)(?:\s*[|/]\s*|\s+)(?:打印|关闭|打印本页|关闭窗口|返回顶部|收藏)\b.*$
      | (?:当前位置|您的位置|您现在的位置|您当前的位置|所在位置)\s*[:]?
      | (?:网站)?首页\s*[>»›/]
      | 分享到 | 分享\s*[:] | 扫一扫 | 上一篇 | 下一篇 | 相关链接 | 相关阅读 | 相关新闻 | 相关文章 | 网站地图
      | 版权所有 | 主办单位 | 承办单位 | 技术支持 | 网站标识码 | 政府网站标识码
      | 地\s*址\s*[:] | 邮\s*编\s*[:] | (?:联系|咨询)?电话\s*[:] | 传\s*真\s*[:] | (?:电子)?邮箱\s*[:] | E-?mail\s*[:]
      | .*ICP备\s*[0-9] | .*ICP备案?号 | .*公网安备\s*[0-9]
    )""",
    re.X,
)
_BREADCRUMB = _lazy(r"^[^。，,；;]{0,60}(?:\s*[>»›]\s*[^。，,；;>»›]{1,20}){2,}\s*$")
_DATE = r"([0-9]{4})\s*[-年/.]\s*([0-9]{1,2})\s*[-月/.]\s*([0-9]{1,2})"
_VALUE_END = r"(?=\s|[|]|发布|时间|日期|浏览|点击|阅读|作者|编辑|字\s*[体号]|【|\[|$)"
_META = {
    "published": _lazy(r"(?<!成文)(?<!印发)(?<!生效)(?:发布|发表|更新)?(?:时间|日期)\s*[:]?\s*" + _DATE),
    "source": _lazy(r"(?:信息)?来\s*源\s*[:]\s*([^\s|:]{2,40}?)" + _VALUE_END),
    "publisher": _lazy(r"发(?:布|文)(?:机构|单位|机关)\s*[:]?\s*([^\s|:]{2,40}?)" + _VALUE_END),
    "written": _lazy(r"成文日期\s*[:]?\s*" + _DATE),
}

# -- dates, years, titles -----------------------------------------------------------------
_ZERO = "〇零○OΟ0"  # 二〇二二, 二○二二 (a circle), 二O二二 (a letter): all written for zero
_CN_NUM = f"[{_ZERO}一二三四五六七八九]"
_DATE_TEXT = (
    rf"([0-9]{{4}}|{_CN_NUM}{{4}})\s*年\s*([0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月"
    rf"\s*([0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*日"
)
_DATE_LINE = _lazy(rf"^\s*[(（]?\s*{_DATE_TEXT}\s*[)）]?\s*$")
# a signature and its date on one line: 遂宁市司法局 2023年1月15日
_SIGNED_DATE_LINE = _lazy(rf"^\s*([\u4e00-\u9fff()（）]{{2,30}}?)\s+{_DATE_TEXT}\s*$")
_YEAR = _lazy(rf"(?<![-~至到0-9])((?:19|20)[0-9]{{2}}|[一二][{_ZERO}一二三四五六七八九]{{3}})\s*年")
_TITLE_WORDS = _lazy(r"报告|总结|情况|工作|述职|汇报")
_REPORT_KIND = _lazy(r"法治|依法行政|法制|普法|法治政府")
_PROSE = _lazy(r"[。,，;；]")
# a line that is only a body's name: the first line of a title set on two
_BODY_LINE = _lazy(r"^(?:中共)?[\u4e00-\u9fff]{2,24}(?:人民政府|政府|办事处|委员会|党委|党工委|局|厅|委|办)$")
# the page's header: 今天是…星期三, a site's name and the day's date, a lunar date
_PAGE_HEADER = _lazy(
    r"^(?:今天是|今日是|欢迎访问|欢迎来到)[^。]{0,40}$"
    r"|^[^。,，;；]{0,40}(?:星期|礼拜)[一二三四五六日天]\s*(?:农历.{0,12})?$"
    r"|^[^。,，;；]{0,40}农历[^。,，;；]{2,12}$"
)
_TITLE_END = _lazy(r"(?:报告|总结|情况|汇报|述职报告)$")
_DOC_NUMBER = _lazy(r"^[\u4e00-\u9fff]{1,10}\s*[(\[〔【][0-9]{4}[)\]〕】]\s*[0-9]+\s*号$")
_SIGNATURE_PUNCT = _lazy(r"[。,，;；:：、!！?？]")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | dict.fromkeys(_ZERO, 0)

_log = logging.getLogger(__name__)

# PDF makers (Word, WPS, browsers) often map common characters to look-alike radicals in their
# font's Unicode map: 工 comes out as the Kangxi radical ⼯ (U+2F2F), 民 as ⺠ (U+2EA0). Kangxi
# radicals have a compatibility mapping; the CJK Radicals Supplement does not, so the simplified
# forms that stand for whole characters are listed here. One character for one: offsets hold.
_RADICALS = {cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)} | {
    ord(r): c for r, c in zip(
        "⺟⺠⺩⻁⻄⻅⻆⻉⻋⻑⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
        "母民王虎西见角贝车長长门青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
        strict=True,
    )
}
_RADICAL = _lazy(r"[\u2e80-\u2fdf]")


# ==========================================================================================
# paths and dispatch
# ==========================================================================================


def iter_paths(
    inputs: Iterable[str | Path], *, on_skip: Callable[[Path, str], None] | None = None
) -> Iterator[Path]:
    """Expand files and folders into the report files under them, sorted, each once.

    Folders are searched recursively for files with a suffix in :data:`SUFFIXES` (hidden files
    and Office lock files such as ``~$report.docx`` are left out); a file named directly is
    always returned, whatever its suffix, and its reader judges it. A subfolder that cannot be
    listed (no permission, a broken mount) is passed to ``on_skip`` with the reason, so that a
    build lists it among the skipped instead of silently leaving its reports out.

    Raises:
        InputError: an input does not exist.
    """
    seen: set[Path] = set()
    for item in inputs:
        p = Path(item)
        if not p.exists():
            raise InputError("no such file or folder; check the path", path=p)
        found = sorted(_walk(p, on_skip)) if p.is_dir() else [p]
        for q in found:
            r = q.resolve()
            if r not in seen:
                seen.add(r)
                yield q


def _walk(folder: Path, on_skip: Callable[[Path, str], None] | None) -> Iterator[Path]:
    """Report files under ``folder`` (recursively); unlistable subfolders go to ``on_skip``."""
    import os

    def error(e: OSError) -> None:
        if on_skip is not None:
            where = Path(e.filename) if e.filename else folder
            reason = "permission denied" if isinstance(e, PermissionError) else (e.strerror or str(e))
            on_skip(where, f"folder cannot be read ({reason}); its reports were left out: check its permissions")

    for root, dirs, names in os.walk(folder, onerror=error):
        dirs.sort()
        for name in names:
            q = Path(root) / name
            if Path(name).suffix.lower() in SUFFIXES and not name.startswith((".", "~$")) and q.is_file():
                yield q


def read_path(path: str | Path) -> Document:
    """Read one report file (.txt, .html, .docx or .pdf) into a :class:`Document`.

    The format is told by the file's first bytes where they are unambiguous (a PDF or Word file
    with the wrong suffix is still read), else by its suffix; a file of unknown suffix is read
    as text if it is text.

    Raises:
        InputError: the file is missing, a folder, unreadable, empty, binary, undecodable,
            corrupt, a scan without text, or holds no Chinese report text.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("no such file; check the path", path=p)
    if p.is_dir():
        raise InputError("is a folder, not a file; give a report file, or the folder as an input to build", path=p)
    if not p.is_file():
        raise InputError(f"is not a regular file (a device or pipe?); {_DO} files", path=p)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(
                f"is too large ({size // 2**20} MB, at most {MAX_BYTES // 2**20} MB); is it the right file?", path=p
            )
        data = p.read_bytes()
    except PermissionError:
        raise InputError("cannot be read: permission denied; check the file's permissions", path=p) from None
    except OSError as e:
        raise InputError(f"cannot be read ({e.strerror or e}); check the file and its permissions", path=p) from None
    return read_bytes(data, path=p)


def read_bytes(data: bytes, *, path: str | Path = "<bytes>") -> Document:
    """Read a report given as bytes; ``path`` names it in messages and gives the suffix.

    This is :func:`read_path` without the file system, for uploads and tests.

    Raises:
        InputError: as :func:`read_path`.
    """
    name = str(path)
    suffix = Path(name).suffix.lower()
    if not data.strip(b" \t\r\n\x00\x0b\x0c") or data in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        nuls = data.count(0)
        if nuls:
            raise InputError(
                f"holds only {nuls:,} NUL byte{'s' if nuls != 1 else ''} (zero bytes) and no text, as a download "
                "or copy that failed leaves; get the file again",
                path=name,
            )
        raise InputError("the file is empty; give a report with text in it", path=name)
    kind = _sniff(data)
    if kind in _FOREIGN:
        raise InputError(_FOREIGN[kind], path=name)
    fmt = kind or _FORMAT_OF.get(suffix)
    if fmt is None:  # an unknown suffix named directly: text if it decodes as text
        try:
            text, encoding = decode(data, path=name)
        except InputError as e:
            raise InputError(f"is a {suffix or 'suffix-less'} file that is not text ({e.reason}); {_DO}", path=name) from None
        return read_text(text, path=name, encoding=encoding, format="txt")
    if fmt in ("docx", "pdf") and kind != fmt:
        raise InputError(
            f"is named {suffix} but is not a {fmt.upper()} file (it may be damaged or another format); "
            "give it its right suffix, or re-save it",
            path=name,
        )
    if fmt == "html":
        text, encoding, hints = _read_html(data, name)
        return read_text(text, path=name, encoding=encoding, format="html", meta_hints=hints)
    if fmt == "docx":
        text, hints = _read_docx(data, name)
        return read_text(text, path=name, encoding="utf-8", format="docx", meta_hints=hints)  # OOXML is UTF-8
    if fmt == "pdf":
        text, hints = _read_pdf(data, name)
        # no byte encoding: the text comes through the fonts' Unicode maps
        return read_text(text, path=name, encoding="pdf", format="pdf", meta_hints=hints)
    text, encoding = decode(data, path=name)
    return read_text(text, path=name, encoding=encoding, format="txt")


# What a file's first bytes say it is. Formats govkg cannot read get a message saying what to do.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
    (b"{\\rtf", "rtf"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
)
_IMAGE = "is an image ({}), not a text report; OCR it, or give the report as text, HTML, .docx or PDF"
_FOREIGN = {
    "png": _IMAGE.format("PNG"),
    "jpeg": _IMAGE.format("JPEG"),
    "gif": _IMAGE.format("GIF"),
    "tiff": _IMAGE.format("TIFF"),
    "ole": "is an old Word/WPS/Excel file (.doc, .wps, .xls); open it in Word or WPS and save it as .docx, or give the text",
    "rtf": "is an RTF file; open it in Word or WPS and save it as .docx, or give the text",
    "ofd": "is an OFD file; export it as PDF or text in the OFD reader, or give the text",
    "xlsx": "is an Excel or PowerPoint file, not a report; " + _DO,
    "zip": "is a zip archive, not a report; unpack it and give the files inside",
    "rar": "is a RAR archive, not a report; unpack it and give the files inside",
    "7z": "is a 7z archive, not a report; unpack it and give the files inside",
    "gzip": "is a gzip archive, not a report; unpack it and give the file inside",
}


def _sniff(data: bytes) -> str | None:
    """The format the bytes show at their start, or None for plain text (or unknown)."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(data)
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta", b"<?xml")) and b"<html" in data[:8192].lower():
        return "html"
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            raw = data[2:2050]
            probe = raw[: len(raw) // 2 * 2].decode(enc, "ignore").lstrip().lower()
            if probe.startswith(("<!doctype html", "<html")):
                return "html"
    return None


def _zip_kind(data: bytes) -> str:
    """What a zip package holds: a Word document, an OFD, an Office sheet, or just files."""
    import zipfile

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        # a damaged package: name it by the parts its local headers mention
        head = data[:65536]
        if b"word/" in head:
            return "docx"
        if b"OFD.xml" in head:
            return "ofd"
        return "docx" if b"[Content_Types].xml" in head else "zip"
    if "word/document.xml" in names:
        return "docx"
    if "OFD.xml" in names:
        return "ofd"
    if any(n.startswith(("xl/", "ppt/")) for n in names):
        return "xlsx"
    if "[Content_Types].xml" in names:
        return "docx"  # an Office package without its parts: a damaged .docx, most likely
    return "zip"


# ==========================================================================================
# plain text: encodings
# ==========================================================================================


def decode(data: bytes, *, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 (BOM, or plain Chinese without
    one), GB18030/GBK, and whatever charset-normalizer is sure of as a last resort.

    UTF-8 with a few damaged bytes (a truncated download, say) is read as UTF-8 with U+FFFD in
    their place rather than as GB18030 mojibake.

    Returns:
        The text with newlines normalised to ``\\n``, and the encoding's name.

    Raises:
        InputError: empty, binary or undecodable input.

    Examples:
        >>> decode("法治政府".encode("gbk"))
        ('法治政府', 'gb18030')
        >>> decode(b"\\xef\\xbb\\xbfa\\r\\nb")
        ('a\\nb', 'utf-8-sig')
    """
    if not data.strip():
        raise InputError("the file is empty; give a report with text in it", path=path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _nonempty(_newlines(data.decode("utf-16")), path), "utf-16"
        except UnicodeDecodeError:
            pass
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return _nonempty(_newlines(data[3:].decode("utf-8")), path), "utf-8-sig"
        except UnicodeDecodeError as e:
            damaged = _damaged_utf8(data[3:], path)
            if damaged is not None:
                return _nonempty(damaged, path), "utf-8-sig"
            raise InputError(
                f"has a UTF-8 mark but invalid UTF-8 at byte {e.start + 3}; re-save it as UTF-8", path=path
            ) from None
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data) if b"\x00" in data[:8192] else None
        if utf16 is not None:
            return _nonempty(_newlines(utf16[0]), path), utf16[1]
        nul = _nul_message(data)
        if nul is not None:
            raise InputError(nul, path=path)
        raise InputError(f"is a binary file, not a text report; {_DO}", path=path)
    if _control_ratio(data[:8192]) > 0.05:
        raise InputError(f"is a binary file, not a text report; {_DO}", path=path)
    try:
        return _nonempty(_newlines(data.decode("utf-8")), path), "utf-8"
    except UnicodeDecodeError:
        pass
    damaged = _damaged_utf8(data, path)
    if damaged is not None:
        return _nonempty(damaged, path), "utf-8"
    try:
        text = data.decode("gb18030")
        if _looks_chinese(text):
            return _nonempty(_newlines(text), path), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding and _looks_chinese(str(best)) and _CJK.search(str(best)):
        return _nonempty(_newlines(str(best)), path), best.encoding
    raise InputError("cannot decode the text: it is neither UTF-8 nor GB18030/GBK; re-save it as UTF-8", path=path)


def _nul_message(data: bytes) -> str | None:
    r"""What to say of text with NUL bytes in it (None: it is not text without them either).

    A stray NUL (U+0000) in a report is damage, not a sign of a binary file: say how many and
    where, so that the user can remove them, instead of calling the file binary.

    Examples:
        >>> print(_nul_message("法治政府建设\x00情况报告".encode()))
        is text with 1 NUL byte (U+0000, a zero byte) at byte 18, which report text never holds; remove it (e.g. tr -d '\000' < old.txt > new.txt) or re-save the file
        >>> _nul_message(bytes(range(256))) is None
        True
    """
    rest = data.replace(b"\x00", b"")
    if not rest.strip() or _control_ratio(rest[:8192]) > 0.05:
        return None
    try:
        text = rest.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = rest.decode("gb18030")
        except UnicodeDecodeError:
            return None
        if not _looks_chinese(text):
            return None
    n = data.count(0)
    where = f"at byte {data.index(0)}" if n == 1 else f"the first at byte {data.index(0)}"
    them = "it" if n == 1 else "them"
    return (f"is text with {n:,} NUL byte{'s' if n != 1 else ''} (U+0000, a zero byte) {where}, which report "
            f"text never holds; remove {them} (e.g. tr -d '\\000' < old.txt > new.txt) or re-save the file")


def _nonempty(text: str, path: str | Path) -> str:
    if not text.strip():
        raise InputError("the file is empty; give a report with text in it", path=path)
    return text


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13, 27))
    return bad / len(data)


def _looks_chinese(text: str) -> bool:
    """Whether the non-ASCII characters of a decoded text are mostly Chinese (not mojibake)."""
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return True
    good = sum(
        1
        for c in non_ascii
        if "\u4e00" <= c <= "\u9fff"
        or "\u3000" <= c <= "\u303f"
        or "\uff00" <= c <= "\uffef"
        or c in "“”‘’…—·"
    )
    if good / len(non_ascii) <= 0.85:
        return False
    # Latin-1 or cp1252 text also decodes as GB18030, into rare characters (an accented letter
    # and the ASCII letter after it make one GBK-extension character): real Chinese is mostly
    # made of the 6763 common characters of GB2312
    cjk = [c for c in non_ascii if "\u4e00" <= c <= "\u9fff"][:2000]
    if not cjk:
        return True
    common = sum(1 for c in cjk if _in_gb2312(c))
    return common * 2 >= len(cjk)


@cache
def _in_gb2312(c: str) -> bool:
    try:
        c.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _damaged_utf8(data: bytes, path: str | Path) -> str | None:
    """The text, if the bytes are UTF-8 Chinese with a few broken bytes (at most 1 in 100
    Chinese characters); the broken ones become U+FFFD and a warning is logged."""
    text = data.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    cjk = len(_CJK.findall(text))
    if cjk >= 20 and bad * 100 <= cjk:
        _log.warning("%s: %d invalid UTF-8 sequence(s) read as U+FFFD", path, bad)
        return _newlines(text)
    return None


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text saved without a BOM (Windows tools do this), told by its Chinese."""
    if len(data) % 2:
        return None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _CJK.search(text) and _looks_chinese(text) and not any(
            ord(c) < 32 and c not in "\t\n\r\f" for c in text
        ):
            return text, enc
    return None


# ==========================================================================================
# HTML
# ==========================================================================================
#
# Why our own extractor and not trafilatura (compared with trafilatura 2.3.1 on the saved pages
# of tests/data/html, `python bench/html_extract.py`; figures in bench/README.md): on the modern
# div layouts (TRS_Editor, Word-export WordSection divs, article-content with attachments) both
# find the whole body with no furniture, but trafilatura, in each of its modes (default,
# favor_precision, favor_recall),
#   - on the table layouts (old-table-gb2312.htm, body-in-tds.html) keeps the whole page: the
#     navigation menu, breadcrumbs, info line, 打印/关闭, 相关链接/相关文章 and the footer with
#     版权所有, 网站标识码, ICP备 and 公网安备 numbers; it moves the figures table below the body
#     (its rows land after the signature), and runs a body of <br> lines into one line
#     (headings 一、二、 glued to the paragraphs: 27 % of the lines kept on that page);
#   - leaks the footer (版权所有, ICP备, 公网安备, 技术支持) after the body of
#     title-in-head-only.html and xxgk-gbk-no-charset.html, and the 索引号 table of the latter
#     (its 名称 row survives our debris marking);
#   - gives the <title> with the site's column and name on it (…报告_部门动态_…人民政府) on 3
#     of 7 pages, and a wrong date on 3: 2023-01-01 and 2022-01-01 guessed where the info line
#     has an unlabelled 2023年2月14日 or 日期：2023年03月29日, and the 成文日期 instead of the
#     发布日期 of a 信息公开 table;
#   - is 5x slower here (about 20 ms a page against 4 ms).
# It decodes the GB2312/GBK pages (one without any charset declaration) and the UTF-8 page
# under a stale charset=gb2312 correctly, and keeps sentences whole across inline <span>,
# <strong> and <a> (a source line break between two spans becomes a space inside a sentence).
# Since it did not do as well, the reader below stays; its two misses on those pages (linked
# titles of 相关文章 inside the article's <td>, an unlabelled info-line date) are fixed.

_BLOCK = frozenset(
    """address article aside blockquote body center dd details dialog dir div dl dt fieldset figcaption
    figure footer form frameset h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol p
    pre section summary table tbody thead tfoot tr ul caption""".split()
)
_SKIP = frozenset(
    "head script style noscript template iframe frame object embed svg math canvas select option "
    "button input textarea map area audio video source track link meta title -comment".split()
)
_CELL = frozenset({"td", "th"})
_PARAGRAPH = frozenset("p h1 h2 h3 h4 h5 h6 li dt dd pre blockquote caption tr summary legend".split())
_HEADING = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HIDDEN = _lazy(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS = _lazy(r"[ \t\n\r\f\v\xa0\u200b\ufeff]+")
_WIDE = _lazy(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’…—·]")
_PROSE_PUNCT = _lazy(r"[，。；,;]")
_HTML_CHARSET = _lazy(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
_TITLE_SPLIT = _lazy(r"\s*(?:_|\||｜|--|—+|–|\s-\s|::)\s*")
_NOT_PUBLISHED = _lazy(r"(?:成文|印发|生效|施行|截止|有效期)[^0-9]{0,6}$")
_BARE_DATE = _lazy(rf"^{_DATE}\s*日?(?:\s*[0-9]{{1,2}}:[0-9]{{2}}(?::[0-9]{{2}})?)?$")
_GB = {"gb2312", "gbk", "x-gbk", "gb_2312", "gb_2312-80", "cp936", "ms936", "euc-cn", "csgb2312", "gb18030"}

#: <meta name=...> keys of Chinese government CMSs (TRS, Hanweb, ...) and common ones, lowercased.
_META_KEYS = {
    "title": ("articletitle", "og:title", "dc.title", "title"),
    "published": ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "dc.date", "dc.date.issued", "date"),
    "source": ("contentsource", "source", "dc.source"),
    "publisher": ("publisher", "dc.publisher"),
}


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence the warnings third-party parsers emit on imperfect files; errors still raise."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def _decode_html(data: bytes, path: str) -> tuple[str, str]:
    """Decode a page: BOM, else valid UTF-8, else the charset its <meta> declares, else sniff.

    Valid UTF-8 is tried before the declared charset because pages are often re-saved as UTF-8
    with their old ``charset=gb2312`` left in place; the reverse (GBK bytes that happen to be
    valid UTF-8) does not happen in text of any length.
    """
    if data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(data, path=path)
    try:
        return _newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    m = _HTML_CHARSET.search(data[:8192])
    if m:
        label = m.group(1).decode("ascii", "ignore").lower()
        try:
            enc = "gb18030" if label in _GB else codecs.lookup(label).name
            return _newlines(data.decode(enc)), enc
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, path=path)


def _read_html(data: bytes, path: str) -> tuple[str, str, dict[str, str]]:
    """A saved web page -> (main text, encoding, metadata hints).

    The page is parsed with selectolax (lexbor), scripts, styles, forms and hidden elements are
    dropped, and the rest is laid out as lines, block by block. The main text is the deepest
    element holding most of the page's prose (lines with Chinese punctuation and few links): on
    government pages that is the article body, without the navigation, related links and footer
    around it. The article's heading is put before it when the body does not start with it, and
    the page's <title>, <meta> tags (ArticleTitle, PubDate, ContentSource) and the 发布时间 /
    来源 / 索引号 lines around the body become metadata hints.
    """
    html, encoding = _decode_html(data, path)
    from selectolax.lexbor import LexborHTMLParser

    with _quiet():
        tree = LexborHTMLParser(html)
    hints = _html_meta(tree)
    root = tree.body or tree.root
    if root is None:
        raise InputError("has no page body; is it a web page with the report in it?", path=path)
    lines = _layout(root)
    pick = _without_link_tail(lines, _main_lines(lines))
    outside = [ln for i, ln in enumerate(lines) if i not in pick]
    page_hints = _scan_hints([fold(ln.text) for ln in outside])
    page_hints.update(_table_hints(outside))
    hints.update(page_hints)
    if "published" not in hints and pick:
        hints.update(_info_line_date(lines, pick))
    text_lines = [lines[i].text for i in sorted(pick)]
    heading = _page_heading(lines, min(pick) if pick else len(lines), hints.get("title"))
    if heading:
        # the visible heading is the report's first line, as in a copy of the page
        hints["title"] = heading
        first = next((fold(t) for t in text_lines if not _is_debris(fold(t.strip()))), "")
        if _squash(first) != _squash(fold(heading)):
            text_lines.insert(0, heading)
    text = "\n".join(text_lines)
    if not text.strip():
        raise InputError("has no text in its page body; is the report on this page, or loaded by script?", path=path)
    return text, encoding, {k: v for k, v in hints.items() if v}


class _Line:
    """One laid-out line of a page and where it came from."""

    __slots__ = ("text", "path", "tags", "tag", "links", "cells")

    def __init__(
        self, text: str, path: tuple[int, ...], tags: tuple[str, ...], links: int, cells: list[str]
    ) -> None:
        self.text = text
        self.path = path  # ids of the open block elements, outermost first
        self.tags = tags  # and their tag names
        self.tag = tags[-1] if tags else ""  # the innermost block element
        self.links = links  # characters inside <a>
        self.cells = cells  # a table row's cell texts

    @property
    def prose(self) -> int:
        """How much report prose the line is: its Chinese characters if it has commas or full
        stops, 0 for links, labels and page furniture."""
        cjk = len(_CJK.findall(self.text))
        if cjk < 8 or not _PROSE_PUNCT.search(self.text) or self.links * 2 > len(self.text):
            return 0
        return 0 if _is_debris(fold(self.text)) else cjk


def _layout(root: Any) -> list[_Line]:
    """Lay a parsed page out as lines: blocks and <br> break lines, a table row is one line with
    its cells separated by tabs.

    Iterative, so that deeply nested table layouts cannot exhaust the recursion limit.
    """
    lines: list[_Line] = []
    buf: list[str] = []
    cells: list[str] = []
    links = 0
    open_ids: list[int] = []
    open_tags: list[str] = []
    in_link = in_heading = 0

    def flush() -> None:
        nonlocal buf, links, cells
        row = [c for c in (*cells, _collapse("".join(buf))) if c]
        if row:
            # only blocks make a line's path: a <font> or <span> around many <br> lines is
            # closed before the block that ends the last of them
            blocks = [(i, t) for i, t in zip(open_ids, open_tags, strict=True) if t in _BLOCK or t in _CELL]
            path = tuple(i for i, _ in blocks)
            lines.append(_Line("\t".join(row), path, tuple(t for _, t in blocks), links, row))
        buf, links, cells = [], 0, []

    # (node, entering?) pairs; an element's exit is pushed under its children so it runs after them
    stack: list[tuple[Any, bool]] = [(root, True)]
    while stack:
        node, entering = stack.pop()
        tag = node.tag
        if not entering:
            if tag in _BLOCK:
                flush()
            elif tag in _CELL:
                cells.append(_collapse("".join(buf)))
                buf = []
            in_link -= tag == "a"
            in_heading -= tag in _HEADING
            open_ids.pop()
            open_tags.pop()
            continue
        if tag == "-text":
            t = node.text_content or ""
            buf.append(t)
            if in_link:
                links += len(t.strip())
            continue
        if not tag or tag in _SKIP or tag.startswith("-"):
            continue
        attrs = node.attributes
        if "hidden" in attrs or _HIDDEN.search(attrs.get("style") or "") or attrs.get("type") == "hidden":
            continue
        if tag == "br":
            if not in_heading:  # a title wrapped with <br> is still one title
                flush()
            continue
        if tag in _BLOCK:
            flush()
        open_ids.append(node.mem_id)
        open_tags.append(tag)
        in_link += tag == "a"
        in_heading += tag in _HEADING
        stack.append((node, False))
        children = []
        child = node.child
        while child is not None:
            children.append(child)
            child = child.next
        stack.extend((c, True) for c in reversed(children))
    flush()
    return lines


def _collapse(s: str) -> str:
    """Collapse HTML white space the way a browser shows it to a reader of Chinese.

    A source line break between two Chinese characters disappears (CSS Text 3 segment-break
    rule for East Asian text); other runs become one space. The line is stripped.
    """
    if not s:
        return ""

    def repl(m: re.Match[str]) -> str:
        run, a, b = m.group(), m.start(), m.end()
        if ("\n" in run or "\r" in run) and a > 0 and b < len(s) and _WIDE.match(s[a - 1]) and _WIDE.match(s[b]):
            return ""
        return " "

    return _WS.sub(repl, s).strip(" \u3000")


def _main_lines(lines: list[_Line]) -> set[int]:
    """Indices of the lines of the page's main text.

    The main element is the deepest one that holds at least 70 % of the page's prose: deep
    enough to leave the navigation and footer out, wide enough to keep every paragraph (and the
    signature and date lines that follow them in the same element).
    """
    weights = [ln.prose for ln in lines]
    total = sum(weights)
    if not total:
        return {i for i, ln in enumerate(lines) if not _is_debris(fold(ln.text))}
    mass: Counter[int] = Counter()
    depth: dict[int, int] = {}
    chain: dict[int, tuple[tuple[int, ...], tuple[str, ...]]] = {}
    for ln, w in zip(lines, weights, strict=True):
        if w:
            for d, node in enumerate(ln.path):
                mass[node] += w
                depth[node] = d
                chain.setdefault(node, (ln.path[: d + 1], ln.tags[: d + 1]))
    best = max((n for n, m in mass.items() if m >= 0.7 * total), key=lambda n: depth[n])
    # a paragraph is not a container: when one paragraph holds nearly all the prose, the
    # headings, signature and date around it belong to the element that holds them all
    ids, tags = chain[best]
    while len(ids) > 1 and tags[-1] in _PARAGRAPH:
        ids, tags = ids[:-1], tags[:-1]
    best = ids[-1]
    return {i for i, ln in enumerate(lines) if best in ln.path}


def _without_link_tail(lines: list[_Line], pick: set[int]) -> set[int]:
    """The main text without the lines after its last prose line that are mostly link text and
    have no clause punctuation: the titles of a list of links.

    Table-layout CMSs put the 相关文章 list, 上一篇/下一篇 and attachment links in the same
    element as the article (a <td> of <br> lines under the last paragraph); their headers are
    debris, but the linked titles themselves read like short content lines. A report's own
    lines after its prose (signature, date) are not links, and a closing sentence that links a
    law (按照<a>《…法》</a>规定，…) keeps its commas.
    """
    last = max((i for i in pick if lines[i].prose), default=None)
    if last is None:
        return pick

    def linked_title(ln: _Line) -> bool:
        return ln.links * 2 > len(ln.text) and not _PROSE_PUNCT.search(ln.text)

    return {i for i in pick if i <= last or not linked_title(lines[i])}


def _info_line_date(lines: list[_Line], pick: set[int]) -> dict[str, str]:
    """The publication date of an info line that gives it without a label.

    Many sites write the article's info line as ``2023年2月14日 | 来源：… | 阅读次数：…`` or put
    a bare date under the title. Only the lines between the few before the main text and its
    first prose line are looked at, and only furniture lines (a date in report prose is not the
    page's date) or lines that are a date and nothing else; a 成文/印发/生效 date is not one.
    """
    start = min(pick)
    first_prose = min((i for i in pick if lines[i].prose), default=start)
    for ln in lines[max(start - 6, 0) : first_prose]:
        f = fold(ln.text).strip()
        m = re.search(_DATE, f)
        if not m or _NOT_PUBLISHED.search(f[: m.start()]):
            continue
        if _is_debris(f) or _BARE_DATE.match(f):
            iso = _iso(m.groups())
            if iso:
                return {"published": iso}
    return {}


def _page_heading(lines: list[_Line], start: int, meta_title: str | None) -> str | None:
    """The article's visible heading: a short line shortly before the body that shares most of
    its characters with the page's title (ArticleTitle or <title>), or, on a page without
    either, a heading element or a line that reads as a report title."""
    clean = _clean_title(meta_title) if meta_title else None
    best: tuple[float, str] | None = None
    for i in range(start - 1, max(start - 15, 0) - 1, -1):
        ln = lines[i]
        t = ln.text.strip()
        f = fold(t)
        if not (4 <= len(t) <= 100) or _SIGNATURE_PUNCT.search(t[-1]) or _is_debris(f) or ln.links * 2 > len(t):
            continue
        score = 0.0
        if clean:
            score = _overlap(_squash(f), _squash(fold(clean)))
        if ln.tag in _HEADING:
            score += 0.3
        if _TITLE_END.search(f) or _TITLE_WORDS.search(f):
            score += 0.2
        if best is None or score > best[0]:
            best = (score, t)
    # with a page title to match, the heading must share most of its characters; without one,
    # a heading element or a line that reads as a report title will do
    if best and best[0] >= (0.7 if clean else 0.3):
        return best[1]
    return None


def _overlap(a: str, b: str) -> float:
    """How much of the shorter string's characters the longer one shares (0..1)."""
    if not a or not b:
        return 0.0
    ca, cb = Counter(a), Counter(b)
    return sum((ca & cb).values()) / max(len(a), len(b))


def _clean_title(title: str) -> str:
    """A page <title> without the site and column names: 报告标题_部门动态_某市人民政府 -> 报告标题."""
    parts = [p for p in _TITLE_SPLIT.split(title.strip()) if p]
    if not parts:
        return title.strip()
    titled = [p for p in parts if _TITLE_WORDS.search(p)]
    return max(titled or parts[:1], key=len)


def _html_meta(tree: Any) -> dict[str, str]:
    """Hints from the page head: <title> and the <meta> tags government CMSs write."""
    metas: dict[str, str] = {}
    for node in tree.css("meta"):
        a = node.attributes
        key = (a.get("name") or a.get("property") or a.get("itemprop") or "").strip().lower()
        val = (a.get("content") or "").strip()
        if key and val and key not in metas:
            metas[key] = val
    hints: dict[str, str] = {}
    for hint, keys in _META_KEYS.items():
        for k in keys:
            if metas.get(k):
                hints[hint] = metas[k]
                break
    node = tree.css_first("title")
    page_title = node.text(deep=True).strip() if node is not None else ""
    if page_title and "title" not in hints:
        hints["title"] = page_title
    if "title" in hints:
        hints["title"] = _clean_title(_WS.sub(" ", hints["title"]))
    if "published" in hints:
        m = re.search(_DATE, fold(hints["published"]))
        iso = _iso(m.groups()) if m else None
        if iso:
            hints["published"] = iso
        else:
            del hints["published"]
    return hints


def _table_hints(lines: list[_Line]) -> dict[str, str]:
    """Hints from the label/value table of a 政府信息公开 page (发布机构 | 遂宁市司法局 | 成文日期 | …)."""
    out: dict[str, str] = {}
    labels = {"发布机构": "publisher", "发文机关": "publisher", "发文单位": "publisher", "成文日期": "written",
              "发布日期": "published", "来源": "source", "信息来源": "source", "名称": "title", "标题": "title"}
    for ln in lines:
        cells = [fold(c).strip().rstrip(":").strip() for c in ln.cells]
        for label, value in zip(cells, cells[1:], strict=False):
            key = labels.get(re.sub(r"\s", "", label))
            if key and value and key not in out and re.sub(r"\s", "", value) not in labels:
                if key in ("written", "published"):
                    m = re.search(_DATE, value)
                    iso = _iso(m.groups()) if m else None
                    if iso:
                        out[key] = iso
                else:
                    out[key] = value
    return out


# ==========================================================================================
# Word and PDF
# ==========================================================================================


def _read_docx(data: bytes, path: str) -> tuple[str, dict[str, str]]:
    """A .docx -> (text, hints): paragraphs and table rows in document order (python-docx).

    Table rows become one line each, cells separated by tabs (merged cells once). The core
    properties' title is a hint when it is Chinese (Word often leaves a file name there).
    """
    import docx
    from docx.table import Table

    try:
        with _quiet():
            document = docx.Document(io.BytesIO(data))
            lines: list[str] = []
            for block in document.iter_inner_content():
                if isinstance(block, Table):
                    lines.extend(_docx_table(block))
                else:
                    lines.append(block.text)
            title = (document.core_properties.title or "").strip()
    except Exception as e:  # noqa: BLE001 - a damaged package fails in zipfile, lxml or python-docx
        raise InputError(
            f"is not a readable .docx ({_reason(e)}); open it in Word or WPS and save it again, or give the text",
            path=path,
        ) from None
    text = "\n".join(lines)
    if not text.strip():
        raise InputError("has no text (only images?); give the report's text, or OCR it", path=path)
    return text, ({"title": title} if _CJK.search(title) else {})


def _docx_table(table: Any) -> list[str]:
    rows: list[str] = []
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            t = _WS.sub(" ", cell.text).strip()
            if t:
                cells.append(t)
        if cells:
            rows.append("\t".join(cells))
    return rows


_PAGE_NUMBER = _lazy(r"^\s*(?:[-—–]\s*[0-9]{1,4}\s*[-—–]|[0-9]{1,4}|第\s*[0-9]{1,4}\s*页(?:\s*[,，/]?\s*共\s*[0-9]{1,4}\s*页)?|[0-9]{1,4}\s*/\s*[0-9]{1,4})\s*$")
# a line that ends a sentence; a closing quote or bracket only after a full stop (。” but not 》)
_PARA_END = _lazy(r"(?:[。！？；：:;!?…]|[。！？!?][”’」』）)])$")
_HEADING_START = _lazy(r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|[0-9]+[.、．]|第[一二三四五六七八九十]+[章节部分])")


def _read_pdf(data: bytes, path: str) -> tuple[str, dict[str, str]]:
    """A PDF with a text layer -> (text, hints) with pypdf.

    Page numbers are dropped and lines that the page width wrapped are joined again, so that a
    paragraph is one line as in the other formats. A PDF without text (a scan) or whose fonts
    have no Unicode map (the text layer is private-use or CID garbage) cannot be read.
    """
    import pypdf

    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.ERROR)  # pypdf logs every recoverable flaw of a file as a warning
    try:
        with _quiet():
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                # most "encrypted" reports only restrict printing or copying: the empty user
                # password opens them (AES needs the cryptography package, pypdf[crypto])
                try:
                    ok = bool(reader.decrypt(""))
                except pypdf.errors.DependencyError:
                    raise InputError(
                        "is AES-encrypted and the cryptography package is missing; "
                        "pip install 'pypdf[crypto]', or give the text",
                        path=path,
                    ) from None
                except Exception:  # noqa: BLE001 - unsupported or damaged encryption
                    ok = False
                if not ok:
                    raise InputError("is password-protected; remove the password, or give the text", path=path)
            pages = [page.extract_text() or "" for page in reader.pages]
            info = reader.metadata
            title = str(info.title or "") if info is not None else ""
    except InputError:
        raise
    except Exception as e:  # noqa: BLE001 - a damaged PDF fails in many places inside pypdf
        raise InputError(
            f"is not a readable PDF ({_reason(e)}); re-save or re-export it as PDF, or give the text", path=path
        ) from None
    finally:
        logger.setLevel(level)
    raw = [ln.strip() for page in pages for ln in _newlines(page).translate(_RADICALS).split("\n")]
    raw = [ln for ln in raw if ln and not _PAGE_NUMBER.match(ln)]
    visible = re.sub(r"\s", "", "".join(raw))
    garbage = sum(1 for c in visible if "\ue000" <= c <= "\uf8ff" or c == "\ufffd")
    if not garbage and not re.search(r"[^\W\d_]", visible):
        raise InputError("has no text layer (a scanned PDF?); OCR it or give the text", path=path)
    if garbage * 5 > len(visible):
        raise InputError(
            "has a text layer that cannot be decoded (its fonts lack Unicode maps); OCR it or give the text",
            path=path,
        )
    return "\n".join(_reflow(raw)), ({"title": title.strip()} if _CJK.search(title) else {})


def _width(s: str) -> float:
    return sum(1.0 if ord(c) > 0x2000 else 0.5 for c in s)


def _reflow(lines: list[str]) -> list[str]:
    """Join lines that a PDF page wrapped: a (nearly) full-width line that does not end a
    sentence continues on the next line, unless that one starts a heading.

    Examples:
        >>> page = ["一、总体情况", "全年办理案件十二件，比上年增加三件，办结率达", "到百分之百。群众满意度明显提高，信访总量下",
        ...         "降两成。", "二、问题", "基层力量不足，部分乡镇司法所只有一名工作人", "员。执法人员培训不够，全年只办了两期，覆盖",
        ...         "不到一半。"]
        >>> _reflow(page)  # doctest: +NORMALIZE_WHITESPACE
        ['一、总体情况', '全年办理案件十二件，比上年增加三件，办结率达到百分之百。群众满意度明显提高，信访总量下降两成。',
         '二、问题', '基层力量不足，部分乡镇司法所只有一名工作人员。执法人员培训不够，全年只办了两期，覆盖不到一半。']
    """
    widths = sorted(_width(ln) for ln in lines if _width(ln) >= 6)
    if len(widths) < 5:  # too few lines to tell what a full one is
        return lines
    full = widths[int(0.8 * (len(widths) - 1))]
    out: list[str] = []
    joining = False
    for i, ln in enumerate(lines):
        if joining and not _HEADING_START.match(ln):
            sep = " " if out[-1][-1:].isascii() and ln[:1].isascii() and out[-1][-1:].isalnum() and ln[:1].isalnum() else ""
            out[-1] += sep + ln
        else:
            out.append(ln)
        w = _width(ln)
        # a nearly full line wraps if it is prose (has commas): titles and headings have none
        prose = _PROSE_PUNCT.search(_HEADING_START.sub("", ln)) is not None
        joining = (
            not _PARA_END.search(out[-1])
            and (prose or i > 0)  # the first line without commas is the title
            and (w >= 0.9 * full or (w >= 0.75 * full and prose))
        )
    return out


def _reason(e: BaseException) -> str:
    """A short, one-line account of a parser's exception."""
    msg = str(e).strip().splitlines()[0] if str(e).strip() else ""
    name = type(e).__name__
    return f"{name}: {msg[:80]}" if msg else name


# ==========================================================================================
# the document: debris, content, hash, metadata
# ==========================================================================================


def read_text(
    text: str,
    *,
    path: str = "<text>",
    encoding: str = "utf-8",
    format: str = "txt",
    meta_hints: dict[str, str] | None = None,
) -> Document:
    """Make a :class:`Document` of decoded text: mark debris lines, read the metadata.

    ``meta_hints`` carries metadata a container format knew (an HTML page's <title>, its
    PubDate and ContentSource, the 发布机构 of its 信息公开 table; keys ``title``,
    ``published``, ``source``, ``publisher``, ``written``); what the text itself says wins where
    both speak.

    Raises:
        InputError: the text is empty or has no Chinese content besides page debris.
    """
    text = _newlines(text)
    if not text.strip():
        raise InputError("has no text; give a report with text in it", path=path)
    folded = fold(text)
    if _RADICAL.search(folded):
        folded = folded.translate(_RADICALS)
    folded = to_simplified(folded)
    content: list[tuple[int, int]] = []
    debris: list[str] = []
    pos = 0
    for line in folded.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        if _PAGE_HEADER.search(stripped):
            debris.append(stripped)
            continue
        lead = len(line) - len(line.lstrip())
        for a, b, is_debris in _segments(stripped):
            if is_debris:
                debris.append(stripped[a:b])
            else:
                content.append((start + lead + a, start + lead + b))
    # a page's navigation stands before the report's title: short lines that are not prose
    at = _title_at([folded[s:e] for s, e in content])
    if at and (folded[content[at][0] : content[at][1]].lstrip().startswith("关于")
               or _BODY_LINE.match(folded[content[at - 1][0] : content[at - 1][1]].strip())):
        at -= 1  # a formal title on two lines: 监利市人民政府 / 关于…的报告
    if at:
        debris.extend(folded[s:e].strip() for s, e in content[:at] if _nav_line(folded[s:e]))
        content = [c for i, c in enumerate(content) if i >= at or not _nav_line(folded[c[0] : c[1]])]
    if not content or not _CJK.search("".join(folded[s:e] for s, e in content)):
        raise InputError(
            "has no Chinese report text once page debris is set aside; is it the right file?",
            path=path,
        )
    hints = {**(meta_hints or {}), **_scan_hints(debris)}
    meta = _metadata(folded, content, hints)
    return Document(
        path=path,
        name=Path(path).name,
        text=text,
        folded=folded,
        encoding=encoding,
        content_hash=content_hash("".join(folded[s:e] for s, e in content)),
        content=tuple(content),
        meta=meta,
        format=format,
    )


# white space and the format characters (Cf) that pages and Word files sprinkle in: soft
# hyphens, zero-width spaces and joiners, direction marks, BOMs
_INVISIBLE = _lazy(r"[\s\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "‘": "'", "’": "'", "‚": "'", "′": "'"})


# characters that only traditional script writes (國 and 國務院, not 国): a text with a few of
# them is converted to simplified for matching
_TRADITIONAL = _lazy("[國們發實設與會縣區處劃權決議務規範條執審習黨貫徹關報環護獎經濟辦門機構負責專項應]")


@cache
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional script folded to simplified, one character for one, so offsets still hold.

    OpenCC converts phrase by phrase; where a phrase changes length the characters of that
    text are converted one by one instead.

    Examples:
        >>> to_simplified("法治政府建設實施綱要")
        '法治政府建设实施纲要'
        >>> to_simplified("简体不变")
        '简体不变'
    """
    if len(_TRADITIONAL.findall(text[:20000])) < 3:
        return text
    cc = _t2s()
    out = cc.convert(text)
    if len(out) == len(text):
        return out
    table: dict[str, str] = {}
    for ch in set(text):
        c = cc.convert(ch)
        table[ch] = c if len(c) == 1 else ch
    return "".join(table[ch] for ch in text)


def content_hash(content: str) -> str:
    """SHA-256 of a report's content, blind to how a format wrote it.

    White space, invisible characters, character width (NFKC) and quotation-mark style are
    ignored, so the same report saved as text, as a web page or as a Word file gets one hash.

    Examples:
        >>> content_hash("法治，“政府”") == content_hash(" 法治,\\n\\"政府\\"")
        True
    """
    s = unicodedata.normalize("NFKC", fold(content)).translate(_QUOTES)
    s = _INVISIBLE.sub("", s)
    return hashlib.sha256(s.encode("utf-8", "surrogatepass")).hexdigest()


def _is_debris(line: str) -> bool:
    """Whether a stripped, folded line is web-page furniture rather than report text."""
    return bool(_DEBRIS.match(line) or _BREADCRUMB.match(line))


# report prose: sentences with clauses and more Chinese than a page's furniture ever has
_PROSE_CJK = 40
_CLAUSE = _lazy(r"[,，;；。]")
_SENTENCE_END = _lazy(r"(?<=[。!?！？;；])")
# the value of a date label at the head of a line, when the page's text ran on into the report's
_HEAD_VALUE = _lazy(
    r"\s*(?:[0-9]{4}\s*[-年/.]\s*[0-9]{1,2}\s*[-月/.]\s*[0-9]{1,2}\s*日?)?(?:\s*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?"
)


def _is_prose(s: str) -> bool:
    """Whether a piece of a line reads as report prose (clauses, plenty of Chinese).

    Examples:
        >>> _is_prose("发布时间:2022-01-04 16:46 来源:监利市人民政府 浏览次数:1234")
        False
        >>> _is_prose("2021年以来,我市法治政府工作在市委、市政府的坚强领导下,认真贯彻落实中央依法治国会议精神,坚持依法行政。")
        True
    """
    return bool(_CLAUSE.search(s)) and len(_CJK.findall(s)) >= _PROSE_CJK


def _segments(line: str) -> list[tuple[int, int, bool]]:
    """A stripped, folded line as ``(start, end, is_debris)`` pieces.

    Debris is told by what a line says (a label of page furniture at its head), not by its
    length: text copied out of a web page often puts the page's 发布时间 and the whole report on
    one line, and the report is content. Such a line is cut into sentences; a sentence that
    opens with furniture loses only the furniture's label and its date, the rest is content.

    Examples:
        >>> line = "发布时间:2022-01-04 16:462021年以来,我市法治政府工作在市委、市政府的坚强领导下,认真贯彻落实中央依法治国会议精神,坚持依法行政。"
        >>> [(line[a:b][:22], d) for a, b, d in _segments(line)]
        [('发布时间:2022-01-04 16:46', True), ('2021年以来,我市法治政府工作在市委、市政', False)]
        >>> _segments("来源:监利市人民政府")
        [(0, 10, True)]
    """
    if not _is_debris(line):
        return [(0, len(line), False)]
    if not _is_prose(line):
        return [(0, len(line), True)]
    out: list[tuple[int, int, bool]] = []
    pos = 0
    for piece in _SENTENCE_END.split(line):
        a, b = pos, pos + len(piece)
        pos = b
        lead = len(piece) - len(piece.lstrip())
        a, b = a + lead, a + len(piece.rstrip())
        if a >= b:
            continue
        text = line[a:b]
        if not _is_debris(text):
            out.append((a, b, False))
            continue
        m = _DEBRIS.match(text)
        cut = 0
        if m is not None and m.end() < 20:  # a label at the head, not a match running over prose
            cut = m.end()
            cut += _HEAD_VALUE.match(text, cut).end() - cut  # type: ignore[union-attr]
        rest = text[cut:]
        if cut and _CJK.search(rest) and _CLAUSE.search(rest):
            skip = len(rest) - len(rest.lstrip())
            out.append((a, a + cut, True))
            out.append((a + cut + skip, b, False))
        else:
            out.append((a, b, True))
    merged: list[tuple[int, int, bool]] = []
    for seg in out:  # one range for a run of content, as a line of its own would be
        if merged and merged[-1][2] == seg[2]:
            merged[-1] = (merged[-1][0], seg[1], seg[2])
        else:
            merged.append(seg)
    return merged


def _scan_hints(lines: Iterable[str]) -> dict[str, str]:
    """Metadata in debris lines (发布时间, 来源, 发布机构, 成文日期), the first of each kind."""
    hints: dict[str, str] = {}
    for line in lines:
        if not _is_debris(line.strip()):
            continue
        for key, rx in _META.items():
            if key in hints:
                continue
            m = rx.search(line)
            if not m:
                continue
            value = _iso(m.groups()) if key in ("published", "written") else m.group(1)
            if value:
                hints[key] = value
    return hints


def _iso(groups: Iterable[str]) -> str | None:
    """An ISO date of (year, month, day) strings in digits or Chinese numerals; None if invalid."""
    try:
        y, m, d = (_cn_int(g) for g in groups)
        return _dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _cn_int(s: str) -> int:
    """A number written in digits, in Chinese digits (二〇二一) or in Chinese numerals up to 99.

    Examples:
        >>> [_cn_int(s) for s in ("2021", "二〇二一", "二○二二", "十", "十二", "二十", "三十一")]
        [2021, 2021, 2022, 10, 12, 20, 31]
    """
    s = s.strip()
    if s.isascii() and s.isdigit():
        return int(s)
    if s and all(c in _CN_DIGITS for c in s):
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    if s and "十" in s and all(c in _CN_DIGITS or c == "十" for c in s) and s.count("十") == 1:
        tens, _, ones = s.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    raise ValueError(s)


def _squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


@cache
def _place_regex() -> re.Pattern[str]:
    lex = lexicons()
    return re.compile(trie_pattern(lex.place_index))


def _looks_like_title(line: str) -> bool:
    """A line that reads as a report's title: short, not prose, ending in 报告/总结/情况 …"""
    line = line.strip()
    return (
        6 <= len(line) <= 80
        and not _PROSE.search(line)
        and bool(_REPORT_KIND.search(line) or _YEAR.search(line))
        and bool(_TITLE_END.search(line) or _TITLE_WORDS.search(line))
    )


def _title_at(lines: list[str]) -> int:
    """The index of the title among the first lines of content, or 0 when none reads as one.

    Saved pages put navigation (首页, 政务公开, breadcrumbs, the column's name) before it.
    """
    for i, line in enumerate(lines[:12]):
        if _PROSE.search(line) and len(line) > 40:
            break  # the report's prose has begun: no title after this
        if _looks_like_title(line):
            return i
    return 0


def _nav_line(line: str) -> bool:
    """A line of page furniture before the title: short, no sentence punctuation, no title."""
    line = line.strip()
    return len(line) <= 30 and not _PROSE.search(line) and not _looks_like_title(line)


def _title(lines: list[str], hint: str | None) -> str | None:
    """The report's title: its first line when that reads as one, joined with the next when a
    formal title is set on two lines (遂宁市司法局 / 关于2022年法治政府建设情况的报告).

    A leading document number line (遂司发〔2023〕5号) is passed over. A first line that is
    prose (the report opens 2022年，…) or page furniture is no title: the page's own title
    (``hint``) or none is.
    """
    i = 0
    while i < min(2, len(lines) - 1) and _DOC_NUMBER.match(lines[i].strip()):
        i += 1
    first = lines[i].strip()
    if len(first) > 80 or _PROSE.search(first) or not _TITLE_WORDS.search(first + (lines[i + 1] if i + 1 < len(lines) else "")):
        return hint
    second = lines[i + 1].strip() if i + 1 < len(lines) else ""
    if (
        second
        and (not _TITLE_END.search(first) or len(second) <= 4)
        and len(first) + len(second) <= 80
        and not _SIGNATURE_PUNCT.search(first + second)
        and _TITLE_END.search(second)
    ):
        return first + second
    if _TITLE_WORDS.search(first):
        return first
    return hint


def _metadata(folded: str, content: list[tuple[int, int]], hints: dict[str, str]) -> ReportMeta:
    lines = [folded[s:e] for s, e in content]
    title = _title(lines, hints.get("title"))
    body = lines[1:] if title and lines and lines[0].strip() in title else lines
    report_date = hints.get("written")
    signature = None
    for i in range(len(lines) - 1, max(len(lines) - 6, 0) - 1, -1):
        m = _DATE_LINE.match(lines[i])
        signed = None if m else _SIGNED_DATE_LINE.match(lines[i])
        if not (m or signed):
            continue
        iso = _iso((m or signed).groups()[-3:])  # type: ignore[union-attr]
        if iso is None:
            continue
        report_date = iso
        if signed:
            signature = signed.group(1).strip()
        elif i > 0 and len(lines[i - 1]) <= 30 and not _SIGNATURE_PUNCT.search(lines[i - 1]):
            signature = lines[i - 1].strip()
        break
    year = _year_of(title) if title else None
    if year is None:
        # the opening lines: a year at a line's start (2022年，…) before one inside it
        opening = [ln for ln in body[:3] if not _DATE_LINE.match(ln)]
        year = next((y for ln in opening if (y := _year_of(ln[:6])) is not None), None)
        if year is None:
            year = next((y for ln in opening if (y := _year_of(ln)) is not None), None)
    if year is None and report_date:
        y, mo = int(report_date[:4]), int(report_date[5:7])
        year = y if mo >= 10 else y - 1
    # the issuer: the title, the first sentence, the signature, in that order of trust; a
    # page's 来源 names who posted it, which is the issuer only when nothing else says
    opening_sentence = _first_sentence(body)
    issuer = None
    for cand, reader in ((title, _issuer_in), (opening_sentence, _subject_of), (signature, _issuer_in),
                         (hints.get("publisher"), _issuer_in), (hints.get("source"), _issuer_in)):
        if cand:
            name = reader(cand)
            if name:
                issuer = name
                break
    place = _locality(lines, (title, issuer, signature, hints.get("publisher"), hints.get("source")))
    if issuer is None and place is not None:
        issuer = _self_named(folded, place[0])
    lex = lexicons()
    locality, code = place if place else (None, None)
    chain: tuple[str, ...] = ()
    if locality:
        div = lex.divisions.get(code) if code else lex.division_by_name(locality)
        if div:
            code = div.code
            divisions = lex.chain(div.code)
            chain = tuple(d.name for d in divisions[1:])
            renamed = locality.endswith("市") and div.name.endswith("县")
            if locality != div.name and not renamed:
                locality = div.name
        elif re.fullmatch(_PLACEHOLDER, locality):
            code = None
            up = re.search(r"(?:[xX×*＊]{1,3}|某)(?:省|自治区)", folded)
            chain = (up.group(),) if up else ()
    return ReportMeta(
        title=title,
        issuer=issuer,
        locality=locality,
        locality_code=code or None,
        locality_chain=chain,
        year=year,
        report_date=report_date,
        published=hints.get("published"),
        source=hints.get("source") or hints.get("publisher"),
    )


def _year_of(text: str) -> int | None:
    """The first plausible year a text names (not the end of a range such as 2021－2025年)."""
    for m in _YEAR.finditer(text):
        try:
            y = _cn_int(m.group(1))
        except ValueError:
            continue
        if 1949 <= y <= 2100:
            return y
    return None


_YEAR_LEAD = _lazy(rf"^\s*(?:(?:19|20)[0-9]{{2}}|[一二]{_CN_NUM}{{3}})\s*年(?:度)?(?:以来|来)?\s*[,，]?\s*")
_UNDER = _lazy(
    r"^(?:在[^,，。;；]{2,60}?(?:的)?(?:正确|坚强|有力|大力|精心|亲切)?(?:领导|指导|支持|监督|关心|帮助|关怀)"
    r"(?:[和与及][^,，。;；]{0,20}?)?下\s*[,，]?\s*)+"
)
_PLACEHOLDER = r"(?:[xX×*＊]{1,3}|某)(?:省|自治区|市|州|县|区|旗|镇|乡|街道)"
_SELF = _lazy(r"(?:我|本)(局|委|办|厅|院|中心)")


def _first_sentence(lines: list[str]) -> str | None:
    """The report's first sentence of prose (not a heading), up to its first 。."""
    for line in lines[:4]:
        if _PROSE.search(line):
            return line.split("。", 1)[0]
    return None


def _subject_of(sentence: str) -> str | None:
    """The body a report's opening sentence names as its subject: 2022年，在市委的领导下，X区坚持….

    A place standing as the subject is its government (南昌县 -> 南昌县人民政府); a former name
    (原环境保护部) is the body's name then.
    """
    rest = _YEAR_LEAD.sub("", sentence.strip(), count=1)
    rest = _UNDER.sub("", rest, count=1)
    rest = re.sub(r"^(?:原|中共)", "", rest)
    lex = lexicons()
    for k in range(min(20, len(rest)), 1, -1):
        if rest[:k] in lex.national_agencies and not re.match(r"[\u4e00-\u9fff]{0,1}(?:局|委|厅|办)", rest[k:]):
            return lex.national_agencies[rest[:k]]
    town = re.match(r"[\u4e00-\u9fff]{2,4}?(?:镇|乡|街道)(?=坚持|全面|深入|认真|始终|紧紧|紧扣|以|按照|围绕|聚焦|持续|扎实|着力|积极|不断|高度|大力|统筹)", rest)
    if town and not _place_regex().fullmatch(town.group()):
        return _government_of(town.group())  # 三张镇坚持…: a township, which the division table does not list
    m = re.match(_PLACEHOLDER, rest) or _place_regex().match(rest)
    if m is None:
        if rest[:1] in ("省", "市", "县", "区"):  # 市司法局坚持…: a body of the report's own place
            body = next((rest[1:k] for k in range(min(15, len(rest)), 2, -1) if rest[1:k] in lex.bodies), None)
            if body and not body.startswith("委"):
                return rest[0] + body
        return None
    place, after = m.group(), rest[m.end():]
    inner = _place_regex().match(after)  # 武汉市江汉区…
    if inner:
        place, after = place + inner.group(), after[inner.end():]
    body = next((after[:k] for k in range(min(14, len(after)), 1, -1) if after[:k] in lex.bodies), None)
    if body:
        return place + body
    if re.match(r"(?:全面|深入|认真|始终|坚持|紧紧|紧扣|以|按照|围绕|聚焦|持续|扎实|着力|积极|不断|高度|把|将|牢固|大力|统筹|立足)", after):
        return _government_of(place)
    return None


def _government_of(place: str) -> str:
    """The government of a place: 街道 -> 办事处, others -> 人民政府."""
    if place.endswith("街道"):
        return place + "办事处"
    return place + "人民政府"


def _self_named(folded: str, locality: str) -> str | None:
    """A department that calls itself 我局 / 我委 and is named nowhere: its counterpart one level
    up, to which such reports answer (省生态环境厅 for a 生态环境局), names its kind."""
    m = _SELF.search(folded)
    if m is None:
        return None
    kind = m.group(1)
    up = re.search(r"省([\u4e00-\u9fff]{2,10}?)(厅|委|局)(?![\u4e00-\u9fff]{0,2}(?:党组|机关))", folded)
    if up is not None and not locality.endswith("省"):
        stem, up_kind = up.group(1), up.group(2)
        if kind == "局" and up_kind in ("厅", "局") or kind == "委" and up_kind == "委":
            return locality + stem + kind
    # else the body of its own level the report names most (区司法局党委书记、局长…)
    level = locality[-1]
    lex = lexicons()
    named = Counter(
        m.group(1) for m in re.finditer(rf"(?<![\u4e00-\u9fff]){level}([\u4e00-\u9fff]{{2,10}}?{kind})", folded)
        if m.group(1) in lex.bodies
    )
    if named:
        return locality + named.most_common(1)[0][0]
    return None


_ISSUER_TAIL = _lazy(
    r"^((?:中共)?[\u4e00-\u9fff]{2,20}?(?:人民政府|政府|委员会|党委|党工委|街道办事处|办事处|局|厅|委|办|院|中心|所|街道|镇|乡))"
    r"(?=(?:关于)?(?:[0-9]{4}|[二〇○]{4}|20)|关于|$)"
)
_TOWNSHIP = _lazy(r"^[\u4e00-\u9fff]{2,8}?(?:街道|镇|乡)(?:办事处|人民政府|政府|党工委|党委)?$")


def _issuer_in(text: str) -> str | None:
    """The issuing body at the start of a title or signature line, if one stands there.

    Township bodies (XX街道办事处, XX镇人民政府) are not in the division table, so a bare
    XX街道 / XX镇 / XX乡 at the head of a title counts as one.
    """
    text = _YEAR_LEAD.sub("", text.strip(), count=1)
    m = _ISSUER_TAIL.match(text)
    if not m:
        # 静海区法治政府建设情况报告, 2020年静海区…: a place at the head is its government
        p = re.match(_PLACEHOLDER, text) or _place_regex().match(text)
        if p and re.match(r"(?:(?:19|20)[0-9]{2}|[一二][〇○零一二三四五六七八九]{3})?\s*(?:年度?)?\s*(?:关于|法治|依法|法制|推进|全面|政府)", text[p.end():]):
            return _government_of(p.group())
        return None
    name = m.group(1)
    if _TOWNSHIP.match(name):
        return name
    if not (_place_regex().match(name) or re.match(_PLACEHOLDER, name)) and not name.startswith(("中共", "县", "市", "区", "镇", "乡", "省")):
        return None
    return name


def _locality(lines: list[str], priority: Iterable[str | None]) -> tuple[str, str] | None:
    """The report's own place: named at the head of its title or issuer, else the place it
    names most.

    A title may name the place with its ancestors (湖北省武汉市江汉区司法局): the most specific
    of a run of nested places is the report's.
    """
    lex = lexicons()
    rx = _place_regex()
    for text in priority:
        if not text:
            continue
        rest = re.sub(r"^(?:关于)?(?:中共)?", "", text)
        found: tuple[str, str] | None = None
        while m := rx.match(rest):
            # 平顶山市新华区: a name shared by several districts is the one inside the place before it
            div = _division_within(m.group(), found[1] if found else None)
            if div is None and found is None and m.group().endswith(("区", "县", "市", "旗")) and len(lex.place_index.get(m.group(), ())) > 1:
                # 西湖区司法局…: a district name several cities have, and nothing to say which; the
                # report's place is that name (relative names resolve against it), with no code
                return m.group(), ""
            if div is None or found is not None and found[1] not in {d.code for d in lex.chain(div.code)[1:]}:
                break
            if m.group() == div.short and re.match(r"(?:街道|镇|乡)", rest[m.end() :]):
                break  # 临江街道: a street that shares its name with a county elsewhere
            found, rest = (m.group(), div.code), rest[m.end() :]
        if found:
            return found
    counts: Counter[str] = Counter()
    for line in lines:
        for m in rx.finditer(line):
            name = m.group()
            if not name.endswith(("省", "市", "县", "区", "州", "旗")) and re.match(r"(?:镇|乡|街道)", line[m.end() :]):
                continue  # 通城镇: a township sharing its name with a county elsewhere
            div = lex.division_by_name(name)
            if div is None:
                continue
            if name == div.short and div.level != "county" and name not in lex.short_ok:
                continue
            # full names weigh more than bare stems, counties more than the cities above them
            weight = (2 if name != div.short else 1) * (3 if div.level == "county" else 2 if div.level == "prefecture" else 1)
            counts[div.code] += weight
    if not counts:
        # an anonymised copy (xx市, 某县): the placeholder the title, issuer or text names
        for text in [*priority, *lines[:5]]:
            m = re.search(_PLACEHOLDER, text or "")
            if m and not m.group().endswith(("省", "自治区")):
                return m.group(), ""
        return None
    code, _ = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return lex.divisions[code].name, code


def _division_within(name: str, parent: str | None) -> Division | None:
    """The division a name denotes: the only one of that name, or the only one inside ``parent``."""
    lex = lexicons()
    codes = lex.place_index.get(name, ())
    if len(codes) == 1:
        return lex.divisions[codes[0]]
    if parent is None:
        return None
    inside = [c for c in codes if parent in {d.code for d in lex.chain(c)[1:]}]
    return lex.divisions[inside[0]] if len(inside) == 1 else None
