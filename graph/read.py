"""Paths in, :class:`~graph.model.Document` out: encodings, web-page debris, report metadata.

Government sites publish reports as pages that users save as text, often in GB18030/GBK, with
the page furniture still in them (发布时间, 来源, 浏览次数, 字体 大 中 小, 打印|关闭, breadcrumbs).
This module decodes the bytes, marks which lines are report content and which are debris (the
debris is kept in ``Document.text`` so offsets stay true, but no sentence is made of it), and
reads the report's own metadata: title, issuing body, locality, year and dates.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path

from .errors import InputError
from .lexicon import fold, lexicons, trie_pattern
from .model import Document, ReportMeta

__all__ = ["SUFFIXES", "iter_paths", "read_path", "read_text", "decode"]

#: File types govkg reads; other types in a folder are skipped.
SUFFIXES: tuple[str, ...] = (".txt",)

_CJK = re.compile(r"[\u3400-\u9fff]")

_DEBRIS = re.compile(
    r"""^\s*(?:
        (?:发布|发表|成文|更新|印发)?(?:时间|日期)\s*[:：]
      | 来源\s*[:：] | 信息来源\s*[:：] | 稿源\s*[:：] | 作者\s*[:：] | (?:责任)?编辑\s*[:：]
      | 发布(?:机构|单位)\s*[:：] | 发文(?:机关|单位)\s*[:：] | 索引号 | 主题分类 | 文号\s*[:：]
      | (?:浏览|阅读|点击|访问)(?:次数|量|数)? \s*[:：]
      | .*(?:浏览次数|阅读次数|点击数|访问量|浏览量)
      | 【?\s*字[体号]\s*[:：]?\s*[【\[]?\s*[大中小]
      | .*[【\[]\s*(?:打印|关闭|打印本页|关闭窗口|返回顶部|收藏)\s*[】\]]
      | (?:打印|关闭|打印本页|关闭窗口)(?:\s*[|｜/]\s*(?:打印|关闭|打印本页|关闭窗口|返回顶部|收藏))+\s*$
      | (?:当前位置|您的位置|您现在的位置|所在位置)\s*[:：]?
      | 首页\s*[>＞»›/]
      | 分享到 | 扫一扫 | 上一篇 | 下一篇 | 相关链接 | 网站地图 | 版权所有 | 主办单位 | 承办单位 | 技术支持
      | .*ICP备 | .*公网安备
    )""",
    re.X,
)
_BREADCRUMB = re.compile(r"^[^。，,；;]{0,60}(?:\s*[>＞»›]\s*[^。，,；;>＞»›]{1,20}){2,}\s*$")
_META = {
    "published": re.compile(r"(?:发布|发表|更新)?(?:时间|日期)\s*[:：]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"),
    "source": re.compile(r"(?:信息)?来源\s*[:：]\s*([^\s|｜]{2,40})"),
    "publisher": re.compile(r"发(?:布|文)(?:机构|单位|机关)\s*[:：]\s*([^\s|｜]{2,40})"),
    "written": re.compile(r"成文日期\s*[:：]\s*(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"),
}
_DATE_LINE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日\s*$")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS["零"] = 0


def iter_paths(inputs: Iterable[str | Path]) -> Iterator[Path]:
    """Expand files and folders into the report files under them, sorted, each once.

    A missing input raises :class:`InputError`; files of other types inside a folder are
    skipped, while a file named directly is always returned (its reader will judge it).
    """
    seen: set[Path] = set()
    for item in inputs:
        p = Path(item)
        if not p.exists():
            raise InputError("no such file or folder; check the path", path=p)
        found = (
            sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() in SUFFIXES)
            if p.is_dir()
            else [p]
        )
        for q in found:
            r = q.resolve()
            if r not in seen:
                seen.add(r)
                yield q


def decode(data: bytes, *, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16 with BOM, GB18030/GBK.

    Returns the text with newlines normalised to ``\\n`` and the encoding's name. Raises
    :class:`InputError` for empty, binary or undecodable input.
    """
    if not data.strip():
        raise InputError("the file is empty; give a report with text in it", path=path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _newlines(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:8192] or _control_ratio(data[:8192]) > 0.05:
        raise InputError(
            "this is a binary file, not a text report; convert it to .txt (UTF-8 or GB18030)",
            path=path,
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return _newlines(data[3:].decode("utf-8")), "utf-8-sig"
        except UnicodeDecodeError as e:
            raise InputError(f"has a UTF-8 mark but invalid UTF-8 at byte {e.start + 3}", path=path) from None
    try:
        return _newlines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        if _looks_chinese(text):
            return _newlines(text), "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding and _looks_chinese(str(best)):
        return _newlines(str(best)), best.encoding
    raise InputError(
        "cannot decode the text: it is neither UTF-8 nor GB18030/GBK; re-save it as UTF-8",
        path=path,
    )


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _control_ratio(data: bytes) -> float:
    if not data:
        return 0.0
    bad = sum(1 for b in data if b < 32 and b not in (9, 10, 12, 13))
    return bad / len(data)


def _looks_chinese(text: str) -> bool:
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return True
    good = sum(
        1
        for c in non_ascii
        if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"
        or c in "“”‘’…—·"
    )
    return good / len(non_ascii) > 0.85


def read_path(path: str | Path) -> Document:
    """Read one report file into a :class:`Document`.

    Raises:
        InputError: the file is missing, empty, binary, undecodable or of an unknown type.
    """
    p = Path(path)
    if not p.exists():
        raise InputError("no such file; check the path", path=p)
    if p.is_dir():
        raise InputError("is a folder; give a report file or use the folder as INPUT", path=p)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"cannot be read ({e.strerror}); check its permissions", path=p) from None
    text, encoding = decode(data, path=p)
    return read_text(text, path=str(p), encoding=encoding)


def read_text(
    text: str,
    *,
    path: str = "<text>",
    encoding: str = "utf-8",
    format: str = "txt",
    meta_hints: dict[str, str] | None = None,
) -> Document:
    """Make a :class:`Document` of decoded text: mark debris lines, read the metadata.

    ``meta_hints`` carries metadata a container format knew (an HTML page's <title>, say);
    what the text itself says wins where both speak.
    """
    text = _newlines(text)
    folded = fold(text)
    content: list[tuple[int, int]] = []
    hints: dict[str, str] = dict(meta_hints or {})
    pos = 0
    for line in folded.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        stripped = line.strip()
        if not stripped:
            continue
        if _DEBRIS.match(stripped) or _BREADCRUMB.match(stripped):
            for key, rx in _META.items():
                m = rx.search(stripped)
                if m and key not in hints:
                    hints[key] = _iso(m.groups()) if key in ("published", "written") else m.group(1)
            continue
        lead = len(line) - len(line.lstrip())
        content.append((start + lead, start + len(line.rstrip())))
    if not content or not _CJK.search("".join(folded[s:e] for s, e in content)):
        raise InputError(
            "has no Chinese report text once page debris is set aside; is it the right file?",
            path=path,
        )
    body = "".join(folded[s:e] for s, e in content)
    digest = hashlib.sha256(re.sub(r"\s+", "", unicodedata.normalize("NFC", body)).encode()).hexdigest()
    meta = _metadata(folded, content, hints)
    return Document(
        path=path,
        name=Path(path).name,
        text=text,
        folded=folded,
        encoding=encoding,
        content_hash=digest,
        content=tuple(content),
        meta=meta,
        format=format,
    )


def _iso(groups: Iterable[str]) -> str:
    y, m, d = (_cn_int(g) for g in groups)
    return f"{y:04d}-{m:02d}-{d:02d}"


def _cn_int(s: str) -> int:
    if s.isdigit():
        return int(s)
    if all(c in _CN_DIGITS for c in s):  # 二〇二一 -> 2021
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    import cn2an

    return int(cn2an.cn2an(s, "smart"))


@cache
def _place_regex() -> re.Pattern[str]:
    lex = lexicons()
    return re.compile(trie_pattern(lex.place_index))


def _metadata(folded: str, content: list[tuple[int, int]], hints: dict[str, str]) -> ReportMeta:
    lines = [folded[s:e] for s, e in content]
    title = hints.get("title")
    first = lines[0]
    if len(first) <= 60 and not re.search(r"[。;；]$", first) and ("报告" in first or "情况" in first or "总结" in first or len(lines) > 1):
        title = first
    report_date = hints.get("written")
    signature = None
    for i in range(len(lines) - 1, max(len(lines) - 4, 0) - 1, -1):
        m = _DATE_LINE.match(lines[i])
        if m:
            report_date = _iso(m.groups())
            if i > 0 and len(lines[i - 1]) <= 30 and not re.search(r"[。,，;；:：]", lines[i - 1]):
                signature = lines[i - 1].strip()
            break
    year = None
    if title:
        m = _YEAR.search(title)
        if m:
            year = int(m.group(1))
    if year is None:
        for line in lines[1:4]:
            m = _YEAR.search(line)
            if m:
                year = int(m.group(1))
                break
    if year is None and report_date:
        y, mo = int(report_date[:4]), int(report_date[5:7])
        year = y if mo >= 10 else y - 1
    issuer = None
    for cand in (title, signature, hints.get("publisher"), hints.get("source")):
        if cand:
            name = _issuer_in(cand)
            if name:
                issuer = name
                break
    locality = _locality(lines, (title, issuer, signature, hints.get("publisher"), hints.get("source")))
    lex = lexicons()
    code = None
    chain: tuple[str, ...] = ()
    if locality:
        div = lex.division_by_name(locality)
        if div:
            code = div.code
            divisions = lex.chain(div.code)
            chain = tuple(d.name for d in divisions[1:])
            renamed = locality.endswith("市") and div.name.endswith("县")
            if locality != div.name and not renamed:
                locality = div.name
    return ReportMeta(
        title=title,
        issuer=issuer,
        locality=locality,
        locality_code=code,
        locality_chain=chain,
        year=year,
        report_date=report_date,
        published=hints.get("published"),
        source=hints.get("source") or hints.get("publisher"),
    )


_ISSUER_TAIL = re.compile(
    r"^((?:中共)?[\u4e00-\u9fff]{2,20}?(?:人民政府|政府|委员会|党委|党工委|办事处|局|厅|委|办|院|中心|所))"
    r"(?=(?:关于)?(?:\d{4}|[二〇]{4}|20)|关于|$)"
)


def _issuer_in(text: str) -> str | None:
    """The issuing body at the start of a title or signature line, if one stands there."""
    m = _ISSUER_TAIL.match(text.strip())
    if not m:
        return None
    name = m.group(1)
    if not _place_regex().match(name) and not name.startswith(("中共", "县", "市", "区", "镇", "乡", "省")):
        return None
    return name


def _locality(lines: list[str], priority: Iterable[str | None]) -> str | None:
    """The report's own place: named in its title or issuer, else the place it names most."""
    lex = lexicons()
    rx = _place_regex()
    for text in priority:
        if not text:
            continue
        m = rx.match(text.replace("中共", "", 1))
        if m and lex.division_by_name(m.group()):
            return m.group()
    counts: Counter[str] = Counter()
    for line in lines:
        for m in rx.finditer(line):
            name = m.group()
            div = lex.division_by_name(name)
            if div is None:
                continue
            if name == div.short and div.level != "county" and name not in lex.short_ok:
                continue
            # full names weigh more than bare stems, counties more than the cities above them
            weight = (2 if name != div.short else 1) * (3 if div.level == "county" else 2 if div.level == "prefecture" else 1)
            counts[div.code] += weight
    if not counts:
        return None
    code, _ = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
    return lex.divisions[code].name
