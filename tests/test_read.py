"""graph.read: formats, encodings, bad inputs, web-page debris, report metadata, content hash."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import InputError
from graph.model import Document
from graph.pipeline import sample_path
from graph.read import SUFFIXES, decode, iter_paths, read_bytes, read_path, read_text

DATA = Path(__file__).parent / "data"

#: A short report as a site shows it: title, body, signature and date.
TITLE = "遂宁市司法局2022年法治政府建设工作情况报告"
BODY = [
    "2022年，市司法局在市委、市政府的坚强领导下，全面落实《法治政府建设实施纲要（2021－2025年）》，取得明显成效。",
    "一、主要举措和成效",
    "（一）深入推进“放管服”改革。全面推行证明事项告知承诺制，梳理公布告知承诺事项36项。",
    "（二）严格规范公正文明执法。组织开展行政执法案卷评查，共评查案卷126卷。",
    "二、存在的问题",
    "部分乡镇司法所只有1名工作人员。",
]
SIGNATURE = ["遂宁市司法局", "2023年1月15日"]
REPORT = "\n".join([TITLE, *BODY, *SIGNATURE])


def lines_of(doc: Document) -> list[str]:
    """The content lines of a document, as text."""
    return [doc.text[s:e] for s, e in doc.content]


def check_invariants(doc: Document) -> None:
    """What every Document promises downstream stages."""
    assert len(doc.folded) == len(doc.text)
    assert doc.content
    for s, e in doc.content:
        assert 0 <= s < e <= len(doc.text)
        assert "\n" not in doc.text[s:e]
    assert list(doc.content) == sorted(doc.content)


# ------------------------------------------------------------------------------------------
# plain text and encodings
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (REPORT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + REPORT.encode("utf-8"), "utf-8-sig"),
        (REPORT.encode("utf-16"), "utf-16"),
        (REPORT.encode("gbk"), "gb18030"),
        (REPORT.encode("gb18030"), "gb18030"),
        (REPORT.replace("\n", "\r\n").encode("gbk"), "gb18030"),
        (REPORT.encode("utf-16-le"), "utf-16-le"),  # Windows tools also save without a BOM
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "gbk", "gb18030", "gbk-crlf", "utf16le-no-bom"],
)
def test_read_txt_encodings(tmp_path: Path, data: bytes, encoding: str) -> None:
    p = tmp_path / "report.txt"
    p.write_bytes(data)
    doc = read_path(p)
    assert doc.text == REPORT
    assert doc.encoding == encoding
    assert doc.format == "txt"
    assert doc.meta.title == TITLE
    check_invariants(doc)


def test_read_gb18030_only_characters() -> None:
    # 𠮷 is outside GBK: only GB18030 (four-byte) encodes it
    text, encoding = decode(("𠮷" + REPORT).encode("gb18030"))
    assert (text, encoding) == ("𠮷" + REPORT, "gb18030")


def test_read_damaged_utf8_is_not_read_as_gbk(caplog: pytest.LogCaptureFixture) -> None:
    # UTF-8 Chinese also decodes as GB18030 (into mojibake): one bad byte must not tip it over
    data = REPORT.encode("utf-8")
    data = data[:40] + b"\xff" + data[40:]
    doc = read_bytes(data, path="report.txt")
    assert "report.txt: 1 invalid UTF-8 sequence(s) read as U+FFFD" in caplog.text
    assert doc.encoding == "utf-8"
    assert doc.text.count("\ufffd") == 1
    assert doc.text.replace("\ufffd", "") == REPORT


def test_read_truncated_utf8_download() -> None:
    data = REPORT.encode("utf-8") + "。".encode()[:2]
    doc = read_bytes(data, path="report.txt")
    assert doc.encoding == "utf-8"
    assert doc.text.startswith(TITLE)


def test_read_unknown_suffix_read_as_text(tmp_path: Path) -> None:
    p = tmp_path / "report.md"
    p.write_bytes(REPORT.encode("gbk"))
    doc = read_path(p)
    assert doc.format == "txt" and doc.encoding == "gb18030" and doc.meta.title == TITLE


def test_read_kangxi_radicals_folded_offsets_kept() -> None:
    # text copied out of PDFs: 工 as the Kangxi radical ⼯, 民 as the radical ⺠
    text = REPORT.replace("工作人员", "⼯作⼈员") + "\n全⾯推进⺠法典普法。"
    doc = read_text(text)
    assert doc.text == text
    assert "工作人员" in doc.folded and "民法典" in doc.folded
    check_invariants(doc)
    assert doc.content_hash == read_text(text.replace("⼯", "工").replace("⼈", "人").replace("⾯", "面").replace("⺠", "民")).content_hash


# ------------------------------------------------------------------------------------------
# bad inputs: one InputError with a one-line message, never a traceback
# ------------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def _docx_bytes(paragraphs: list[str], table: list[list[str]] | None = None, title: str = "") -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                t.cell(r, c).text = cell
    d.core_properties.title = title
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _blank_pdf() -> bytes:
    """A PDF page with nothing on it but a drawn box: what a scan looks like to a text reader."""
    import pypdf

    w = pypdf.PdfWriter()
    w.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def _cjk_pdf(lines: list[str], *, font_size: int = 12, width: int = 595) -> bytes:
    """A PDF whose text layer has the given lines, in the CID font every PDF reader knows."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, 842))
    c.setFont("STSong-Light", font_size)
    y = 800
    for i, line in enumerate(lines):
        if y < 60 or line == "\f":
            c.drawString(width / 2, 30, str(c.getPageNumber()))  # a page number in the footer
            c.showPage()
            c.setFont("STSong-Light", font_size)
            y = 800
            if line == "\f":
                continue
        c.drawString(50, y, line)
        y -= font_size * 1.6
    c.showPage()
    c.save()
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \r\n\t\n", "empty"),
        ("bom-only.txt", b"\xef\xbb\xbf", "empty"),
        ("utf16-blank.txt", "  \n".encode("utf-16"), "empty"),
        ("image.txt", PNG, "is an image (PNG)"),
        ("photo.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200), "is an image (JPEG)"),
        ("binary.txt", bytes(range(256)) * 4, "binary file"),
        ("latin.txt", "Ceci n'est pas un rapport. Élève, façade, garçon. ".encode("latin-1") * 5, "cannot decode"),
        ("english.txt", b"This is not a Chinese report at all.\n", "no Chinese report text"),
        ("debris.txt", "首页 > 政务公开 > 年度报告\n发布时间：2023-02-10\n【打印本页】【关闭窗口】".encode(), "no Chinese report text"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "save it as .docx"),
        ("report.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "save it as .docx"),
        ("report.rtf", b"{\\rtf1\\ansi\\deff0 {\\fonttbl}}", "RTF"),
        ("report.docx", REPORT.encode(), "is named .docx but is not a DOCX"),
        ("report.pdf", REPORT.encode(), "is named .pdf but is not a PDF"),
        ("report.xyz", PNG, "is an image"),
        ("report.xyz", bytes(range(256)) * 4, "is a .xyz file that is not text"),
        ("noext", bytes(range(256)) * 4, "suffix-less file that is not text"),
    ],
)
def test_read_bad_bytes_raise_input_error(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_path(p)
    assert message in str(err.value)
    assert str(p) in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        ("cut.docx", lambda: _docx_bytes(BODY)[:1500], "is not a readable .docx"),
        ("noword.docx", lambda: _zip({"[Content_Types].xml": "<Types/>", "word/other.xml": "x"}), "is not a readable .docx"),
        ("badxml.docx", lambda: _swap_part(_docx_bytes(BODY), "word/document.xml", b"<w:document"), "is not a readable .docx"),
        ("images.docx", lambda: _docx_bytes([]), "has no text (only images?)"),
        ("archive.zip", lambda: _zip({"a.txt": "x"}), "is a zip archive"),
        ("report.ofd", lambda: _zip({"OFD.xml": "<ofd:OFD/>"}), "is an OFD file"),
        ("cut.pdf", lambda: _blank_pdf()[:200], "is not a readable PDF"),
        ("scan.pdf", _blank_pdf, "has no text layer (a scanned PDF?); OCR it or give the text"),
        ("garbled.pdf", lambda: _cjk_pdf(["\ue000\ue001\ue002\ue003\ue004\ue005 \ue006\ue007"]), "cannot be decoded"),
    ],
)
def test_read_corrupt_containers_raise_input_error(tmp_path: Path, name: str, make, message: str) -> None:
    p = tmp_path / name
    p.write_bytes(make())
    with pytest.raises(InputError) as err:
        read_path(p)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def _zip(parts: dict[str, str]) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buf.getvalue()


def _swap_part(package: bytes, part: str, data: bytes) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, data if item.filename == part else src.read(item))
    return buf.getvalue()


def test_read_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file; check the path"):
        read_path(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="no such file or folder"):
        list(iter_paths([tmp_path / "nope"]))


def test_read_folder_given_as_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder"):
        read_path(tmp_path)


def test_read_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # tests may run as root, which chmod cannot stop: make the read itself fail
    p = tmp_path / "locked.txt"
    p.write_bytes(REPORT.encode())

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError, match="permission denied; check the file's permissions"):
        read_path(p)


def test_read_fifo_is_not_read(tmp_path: Path) -> None:
    import os

    p = tmp_path / "pipe.txt"
    os.mkfifo(p)
    with pytest.raises(InputError, match="not a regular file"):
        read_path(p)  # would block forever if it were opened


def test_read_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import graph.read

    monkeypatch.setattr(graph.read, "MAX_BYTES", 100)
    p = tmp_path / "big.txt"
    p.write_bytes(REPORT.encode())
    with pytest.raises(InputError, match="is too large"):
        read_path(p)


# ------------------------------------------------------------------------------------------
# HTML
# ------------------------------------------------------------------------------------------

NAV = "".join(f'<li><a href="/c{i}">{t}</a></li>' for i, t in enumerate(["首页", "政务公开", "政务服务", "互动交流", "走进遂宁"]))
RELATED = "".join(
    f'<li><a href="/a{i}.html">{t}</a><span>2023-01-1{i}</span></li>'
    for i, t in enumerate(["市司法局关于2021年法治政府建设工作情况的报告", "全市行政复议工作推进会召开"])
)


def trs_page(title: str, paragraphs: list[str], *, charset: str = "utf-8") -> str:
    """A page in the shape of the TRS CMS that many municipal sites run."""
    body = "\n".join(
        f'<p style="text-indent:2em"><span style="font-family:仿宋_GB2312">{p}</span></p>' for p in paragraphs
    )
    return f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="{charset}">
<title>{title}_部门动态_遂宁市人民政府</title>
<meta name="SiteName" content="遂宁市人民政府"><meta name="ColumnName" content="部门动态">
<meta name="ArticleTitle" content="{title}"><meta name="PubDate" content="2023-02-10 09:30">
<meta name="ContentSource" content="遂宁市司法局">
<style>.nav li{{float:left}}</style><script>var hits = 1268; document.write("统计代码");</script>
</head><body>
<div class="top">欢迎访问遂宁市人民政府！<a href="#">无障碍</a><a href="#">长者模式</a></div>
<form class="search"><input name="q" value="请输入关键字"><button>搜索</button><select><option>全站</option></select></form>
<div class="nav"><ul>{NAV}</ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a>政务公开</a> &gt; <a>部门动态</a></div>
<div class="article">
<h1 class="title">{title}</h1>
<div class="info"><span>来源：遂宁市司法局</span>&nbsp;&nbsp;<span>发布时间：2023-02-10 09:30</span>
<span>浏览次数：<em>1268</em></span> <span>字体：【<a>大</a> <a>中</a> <a>小</a>】</span></div>
<div class="TRS_Editor"><style>.TRS_Editor p{{line-height:2}}</style>
{body}
</div>
<div class="share">分享到：<a>微信</a><a>微博</a></div>
<div class="print">【<a href="javascript:print()">打印本页</a>】【<a href="javascript:close()">关闭窗口</a>】</div>
<div style="display:none">隐藏的统计信息，不是正文内容，不应读出。</div>
</div>
<div class="related"><h3>相关文章</h3><ul>{RELATED}</ul></div>
<div class="footer"><p>主办单位：遂宁市人民政府办公室 承办单位：遂宁市大数据中心</p>
<p>地址：遂宁市河东新区，邮编：629000，联系电话：0825-2222222</p>
<p>网站标识码：5109000001 蜀ICP备05003305号 川公网安备 51090302000123号</p></div>
</body></html>"""


def test_read_html_main_text_without_page_furniture(tmp_path: Path) -> None:
    p = tmp_path / "page.html"
    p.write_text(trs_page(TITLE, [*BODY, *SIGNATURE]), encoding="utf-8")
    doc = read_path(p)
    assert doc.format == "html" and doc.encoding == "utf-8"
    assert lines_of(doc) == [TITLE, *BODY, *SIGNATURE]
    for furniture in ("欢迎访问", "首页", "请输入关键字", "全站", "统计代码", "line-height", "分享到", "打印本页",
                      "隐藏的统计信息", "相关文章", "2021年法治政府", "主办单位", "ICP备", "浏览次数"):
        assert furniture not in doc.text, furniture
    m = doc.meta
    assert (m.title, m.issuer, m.locality, m.year) == (TITLE, "遂宁市司法局", "遂宁市", 2022)
    assert (m.published, m.source, m.report_date) == ("2023-02-10", "遂宁市司法局", "2023-01-15")
    check_invariants(doc)


def test_read_html_gb2312_meta_charset(tmp_path: Path) -> None:
    # 政府信息公开 page of an older CMS: GB2312, a table layout, <br> paragraphs, a source that
    # wraps lines between Chinese characters, the 索引号 / 发布机构 / 成文日期 table
    wrapped = "<br>\n".join("&nbsp;&nbsp;" + p[:20] + "\n" + p[20:] for p in BODY)
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{TITLE}-遂宁市人民政府</title></head><body>
<table><tr><td class="nav">{NAV}</td></tr></table>
<table class="xxgk" border="1">
<tr><td>索 引 号：</td><td>11510900/2023-00012</td><td>主题分类：</td><td>政务公开</td></tr>
<tr><td>发布机构：</td><td>遂宁市司法局</td><td>成文日期：</td><td>2023年01月15日</td></tr>
<tr><td>发布日期：</td><td>2023年02月10日</td><td>文　　号：</td><td></td></tr></table>
<table><tr><td align="center"><font size="5"><b>{TITLE}</b></font></td></tr>
<tr><td><div id="zoom"><font face="仿宋_GB2312">{wrapped}</font></div></td></tr>
<tr><td align="right"><a>打印</a> | <a>关闭</a></td></tr></table>
<div class="footer">版权所有：遂宁市人民政府 技术支持：某某公司</div></body></html>"""
    p = tmp_path / "xxgk.htm"
    p.write_bytes(page.encode("gb2312"))
    doc = read_path(p)
    assert doc.encoding == "gb18030"
    assert lines_of(doc) == [TITLE, *BODY]
    m = doc.meta
    assert (m.published, m.source, m.report_date, m.issuer) == ("2023-02-10", "遂宁市司法局", "2023-01-15", "遂宁市司法局")


def test_read_html_declared_charset_wrong(tmp_path: Path) -> None:
    # re-saved as UTF-8 with the old charset=gbk left in the page
    p = tmp_path / "page.html"
    p.write_text(trs_page(TITLE, BODY, charset="gbk"), encoding="utf-8")
    assert lines_of(read_path(p)) == [TITLE, *BODY]


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ("<p>按照<a href='/law'>《中华人民共和国行政复议法》</a>规定，依法受理<strong>41</strong>件。</p>",
         "按照《中华人民共和国行政复议法》规定，依法受理41件。"),
        ("<p>市司法局在市委、\n      市政府的坚强领导下，深入推进依法行政。</p>", "市司法局在市委、市政府的坚强领导下，深入推进依法行政。"),
        ("<p>全年办理&nbsp;Word&nbsp;文件2件，共计&#x4E09;项，同比增长。</p>", "全年办理 Word 文件2件，共计三项，同比增长。"),
    ],
    ids=["inline-markup", "source-line-break", "entities"],
)
def test_read_html_inline_markup_keeps_sentences_whole(fragment: str, expected: str) -> None:
    page = f"<html><head><title>{TITLE}</title></head><body><h1>{TITLE}</h1><div>{fragment}<p>{BODY[0]}</p></div></body></html>"
    doc = read_bytes(page.encode(), path="page.html")
    assert expected in lines_of(doc)


def test_read_html_table_rows_are_lines() -> None:
    table = "<table><tr><th>项目</th><th>数量</th></tr><tr><td>行政复议案件</td><td>45件</td></tr></table>"
    page = f"<html><body><h1>{TITLE}</h1><div><p>{BODY[0]}</p>{table}<p>{BODY[2]}</p></div></body></html>"
    doc = read_bytes(page.encode(), path="page.html")
    assert lines_of(doc) == [TITLE, BODY[0], "项目\t数量", "行政复议案件\t45件", BODY[2]]


def test_read_html_title_from_head_when_the_page_shows_none() -> None:
    page = f"<html><head><title>{TITLE}_部门动态_遂宁市人民政府</title></head><body><div>" + "".join(
        f"<p>{p}</p>" for p in BODY
    ) + "</div></body></html>"
    doc = read_bytes(page.encode(), path="page.html")
    assert doc.meta.title == TITLE
    assert lines_of(doc) == BODY  # a title the page does not show is not made into text


def test_read_html_utf16_page() -> None:
    page = trs_page(TITLE, BODY)
    doc = read_bytes(page.encode("utf-16"), path="page.html")
    assert doc.format == "html" and lines_of(doc) == [TITLE, *BODY]


def test_read_html_without_report_text() -> None:
    with pytest.raises(InputError, match="no Chinese report text|no text in its page body"):
        read_bytes(b"<html><body><script>load()</script><div id='app'></div></body></html>", path="spa.html")


def test_read_html_sniffed_in_txt() -> None:
    # "save page as" with a .txt name still gives the page source
    doc = read_bytes(trs_page(TITLE, BODY).encode(), path="page.txt")
    assert doc.format == "html" and lines_of(doc) == [TITLE, *BODY]


#: Saved pages in the layouts of government sites, each with its expected body (NAME.txt) and,
#: in pages.json, its title, date, encoding and the furniture that must not become content.
HTML_PAGES = DATA / "html"
_PAGE_SPEC: dict[str, dict] = json.loads((HTML_PAGES / "pages.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", list(_PAGE_SPEC))
def test_read_html_saved_government_pages(name: str) -> None:
    spec = _PAGE_SPEC[name]
    body = (HTML_PAGES / (Path(name).stem + ".txt")).read_text(encoding="utf-8").splitlines()
    doc = read_path(HTML_PAGES / name)
    assert doc.format == "html" and doc.encoding == spec["encoding"]
    got = lines_of(doc)
    # the visible heading may lead the text, as in a copy of the page; nothing else may be added
    assert [ln for ln in got if ln != spec["title"]] == body
    content = "\n".join(got)
    for kind, probes in spec["furniture"].items():
        for probe in probes:
            assert probe not in content, (kind, probe)
    assert (doc.meta.title, doc.meta.published) == (spec["title"], spec["published"])
    check_invariants(doc)


def test_read_html_related_links_in_the_article_cell_are_not_content() -> None:
    # table-layout CMSs put 相关文章 in the article's own <td>, under the last paragraph
    rows = "".join(f"<tr><td>{p}</td></tr>" for p in [*BODY, *SIGNATURE])
    related = "<tr><td>相关文章：<br>・<a href='/1.html'>遂宁市2021年法治政府建设工作情况报告</a><br>・<a href='/2.html'>全市行政复议工作推进会召开</a></td></tr>"
    page = f"<html><head><title>{TITLE}</title></head><body><table>{rows}{related}</table></body></html>"
    doc = read_bytes(page.encode(), path="page.html")
    assert lines_of(doc) == [*BODY, *SIGNATURE]
    assert "推进会召开" not in doc.text


def test_read_html_link_in_the_last_paragraph_is_content() -> None:
    last = "按照<a href='/law'>《中华人民共和国行政复议法》</a>规定，依法受理41件。"
    page = f"<html><body><h1>{TITLE}</h1><div>" + "".join(f"<p>{p}</p>" for p in [*BODY, last]) + "</div></body></html>"
    doc = read_bytes(page.encode(), path="page.html")
    assert lines_of(doc)[-1] == "按照《中华人民共和国行政复议法》规定，依法受理41件。"


@pytest.mark.parametrize(
    ("info", "published"),
    [
        ("<div class='info'><span>2023年2月14日</span><span>来源：遂宁市司法局</span><span>阅读次数：733</span></div>", "2023-02-14"),
        ("<div class='date'>2023-02-14 09:30</div>", "2023-02-14"),
        ("<div class='info'>成文日期：2023-01-10</div>", None),  # when it was written, not published
        ("", None),
    ],
    ids=["unlabelled-info-line", "bare-date", "written-date", "none"],
)
def test_read_html_publication_date_of_an_unlabelled_info_line(info: str, published: str | None) -> None:
    paragraphs = ["2023年1月5日，" + BODY[0], *BODY[1:]]  # a date in the prose is not the page's
    page = f"<html><head><title>{TITLE}_部门动态</title></head><body><div>{info}<div class='zoom'>" + "".join(
        f"<p>{p}</p>" for p in paragraphs
    ) + "</div></div></body></html>"
    doc = read_bytes(page.encode(), path="page.html")
    assert doc.meta.published == published
    assert lines_of(doc) == paragraphs


# ------------------------------------------------------------------------------------------
# Word and PDF
# ------------------------------------------------------------------------------------------


def test_read_docx_paragraphs_and_tables_in_order(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_paragraph(TITLE)
    d.add_paragraph(BODY[0])
    t = d.add_table(rows=2, cols=3)
    for c, v in enumerate(["项目", "2021年", "2022年"]):
        t.cell(0, c).text = v
    t.cell(1, 0).text = "行政复议案件"
    t.cell(1, 1).merge(t.cell(1, 2)).text = "45件"  # a merged cell is read once
    d.add_paragraph(BODY[1])
    d.add_paragraph("")
    d.add_paragraph(SIGNATURE[0])
    d.add_paragraph(SIGNATURE[1])
    p = tmp_path / "report.docx"
    d.save(str(p))
    doc = read_path(p)
    assert (doc.format, doc.encoding) == ("docx", "utf-8")
    assert lines_of(doc) == [TITLE, BODY[0], "项目\t2021年\t2022年", "行政复议案件\t45件", BODY[1], *SIGNATURE]
    assert (doc.meta.title, doc.meta.report_date, doc.meta.issuer) == (TITLE, "2023-01-15", "遂宁市司法局")
    check_invariants(doc)


def test_read_docx_core_title_is_a_hint() -> None:
    doc = read_bytes(_docx_bytes(["2022年，市司法局全面推进依法行政，取得明显成效。", "一是加强领导。"], title=TITLE), path="r.docx")
    assert doc.meta.title == TITLE


def test_read_pdf_text_layer(tmp_path: Path) -> None:
    p = tmp_path / "report.pdf"
    p.write_bytes(_cjk_pdf([TITLE, *BODY, "\f", *SIGNATURE]))
    doc = read_path(p)
    assert doc.format == "pdf"
    assert lines_of(doc) == [TITLE, *BODY, *SIGNATURE]  # the page numbers are gone
    assert (doc.meta.title, doc.meta.report_date, doc.meta.issuer, doc.meta.year) == (TITLE, "2023-01-15", "遂宁市司法局", 2022)
    check_invariants(doc)


def test_read_pdf_wrapped_lines_joined() -> None:
    para = BODY[0] + BODY[2]
    wrapped = [para[i : i + 26] for i in range(0, len(para), 26)]
    doc = read_bytes(_cjk_pdf([TITLE, BODY[1], *wrapped, BODY[4], BODY[5]]), path="r.pdf")
    assert lines_of(doc) == [TITLE, BODY[1], para, BODY[4], BODY[5]]


def test_read_pdf_title_on_two_lines() -> None:
    doc = read_bytes(_cjk_pdf(["遂宁市司法局", "关于2022年法治政府建设情况的报告", *BODY]), path="r.pdf")
    assert doc.meta.title == "遂宁市司法局关于2022年法治政府建设情况的报告"
    assert doc.meta.issuer == "遂宁市司法局"


def test_read_pdf_radicals_in_the_text_layer_become_characters() -> None:
    # Word, WPS and browsers often map 工 to the Kangxi radical ⼯ and 民 to ⺠ in a PDF's fonts
    doc = read_bytes(_cjk_pdf([TITLE, "全⾯推进⺠法典普法，⼯作⼈员全部参训。"]), path="r.pdf")
    assert lines_of(doc)[1] == "全面推进民法典普法，工作人员全部参训。"


def _encrypted(pdf: bytes, user_password: str) -> bytes:
    import pypdf

    w = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf)))
    w.encrypt(user_password=user_password, owner_password="owner", algorithm="AES-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def test_read_pdf_encrypted_with_empty_user_password() -> None:
    # "no printing, no copying" PDFs are encrypted, but anyone may open them
    doc = read_bytes(_encrypted(_cjk_pdf([TITLE, *BODY]), ""), path="r.pdf")
    assert lines_of(doc) == [TITLE, *BODY]


def test_read_pdf_password_protected() -> None:
    with pytest.raises(InputError, match="is password-protected; remove the password, or give the text"):
        read_bytes(_encrypted(_cjk_pdf([TITLE, *BODY]), "secret"), path="r.pdf")


def test_read_pdf_named_txt_is_read_as_pdf() -> None:
    doc = read_bytes(_cjk_pdf([TITLE, *BODY]), path="report.txt")
    assert doc.format == "pdf"


# ------------------------------------------------------------------------------------------
# one report, any format: one content hash
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(DATA.glob("*.txt")) + [sample_path()], ids=lambda p: p.name)
def test_read_same_report_same_hash_in_every_format(path: Path) -> None:
    txt = read_path(path)
    content = lines_of(txt)
    html = read_bytes(trs_page(content[0], content[1:], charset="gbk").encode("gb18030"), path="r.html")
    docx_ = read_bytes(_docx_bytes(content), path="r.docx")
    assert html.format == "html" and docx_.format == "docx"
    assert html.content_hash == txt.content_hash
    assert docx_.content_hash == txt.content_hash
    assert html.meta.title == txt.meta.title == docx_.meta.title


def test_read_html_debris_inside_the_article_body_same_hash() -> None:
    # pages whose body element also holds the 来源 / 浏览次数 / 打印 lines: a copy of the page as
    # text has them too; they are debris in both, and the hash is the same
    path = DATA / "sifaju-suining-2022.txt"
    raw = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    html = read_bytes(trs_page(raw[0], raw[1:]).encode(), path="r.html")
    assert "浏览次数：1268" in html.text
    assert html.content_hash == read_path(path).content_hash


def test_read_hash_ignores_width_quotes_and_spaces() -> None:
    a = read_text(TITLE + "\n（一）推进“放管服”改革，成效明显。")
    b = read_text(TITLE + "\n(一) 推进\"放管服\"改革,成效明显。\n\n")
    c = read_text(TITLE + "\n（一）推进“放管服”改革，成效显著。")
    assert a.content_hash == b.content_hash != c.content_hash


def test_read_pdf_same_hash_as_txt() -> None:
    pdf = read_bytes(_cjk_pdf([TITLE, *BODY, *SIGNATURE]), path="r.pdf")
    assert pdf.content_hash == read_text(REPORT).content_hash


# ------------------------------------------------------------------------------------------
# web-page debris
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "首页 > 政务公开 > 法治政府建设 > 年度报告",
        "网站首页 » 部门动态",
        "当前位置：首页 > 政务公开",
        "您现在的位置：政府信息公开",
        "来源：遂宁市司法局    发布时间：2023-02-10 09:30    浏览次数：1268",
        "发布日期：2022-01-20  信息来源：民族街道办事处",
        "发布时间 2023-02-10",
        "时间：2023-01-30 来源：宜昌市生态环境局 点击数：356",
        "[浏览次数：1268]",
        "字体：【大 中 小】",
        "【字体：大 中 小】【打印】【关闭】",
        "【打印本页】【关闭窗口】",
        "打印|关闭",
        "打印本页 关闭窗口",
        "分享到：微信 微博",
        "扫一扫在手机打开当前页",
        "上一篇：全市行政复议工作推进会召开",
        "索引号：11510900/2023-00012    主题分类：政务公开",
        "索 引 号：000014349/2022-00015",
        "发布机构：遂宁市司法局    成文日期：2023-01-15",
        "发文机关：遂宁市人民政府",
        "文号：遂司发〔2023〕5号",
        "名    称：遂宁市司法局2022年法治政府建设工作情况报告",
        "有效性：有效",
        "责任编辑：张三",
        "初审：张三 复审：李四 终审：王五",
        "版权所有：遂宁市人民政府 技术支持：某某公司",
        "网站标识码：5109000001",
        "蜀ICP备05003305号 川公网安备 51090302000123号",
    ],
)
def test_read_debris_line_kept_in_text_not_content(line: str) -> None:
    doc = read_text(f"{TITLE}\n{line}\n{BODY[0]}")
    assert line in doc.text
    assert lines_of(doc) == [TITLE, BODY[0]]


@pytest.mark.parametrize(
    "line",
    [
        "政府网站全年访问量达120万人次，浏览量同比增长15%。",
        "案件线索来源：群众举报12件，上级交办8件。",
        "信息来源于群众举报的案件，全部依法办结。",
        "主题分类管理制度进一步完善，文件清理全部完成。",
        "开展打印、复印服务点规范整治，关闭违规经营场所3家。",
        "2022年1月，制定出台《遂宁市行政执法公示办法》。",
        "时间紧、任务重，全局上下齐心协力，按期完成各项任务。",
        "首页设置法治政府建设专栏，全年发布信息120条。",
        "一是深化“放管服”改革 > 二是优化营商环境",
    ],
)
def test_read_content_line_that_looks_like_debris_is_content(line: str) -> None:
    doc = read_text(f"{TITLE}\n{line}\n{BODY[0]}")
    assert lines_of(doc) == [TITLE, line, BODY[0]]


def test_read_debris_metadata_goes_to_meta() -> None:
    text = "\n".join([TITLE, "来源：遂宁市司法局发布时间：2023-02-10 09:30浏览次数：1268", "成文日期：2023-01-15", *BODY])
    m = read_text(text).meta
    assert (m.source, m.published, m.report_date) == ("遂宁市司法局", "2023-02-10", "2023-01-15")


def test_read_text_wins_over_meta_hints() -> None:
    text = "\n".join([TITLE, "发布时间：2023-02-10", *BODY])
    m = read_text(text, meta_hints={"published": "2023-03-01", "source": "遂宁市人民政府"}).meta
    assert (m.published, m.source) == ("2023-02-10", "遂宁市人民政府")


# ------------------------------------------------------------------------------------------
# metadata
# ------------------------------------------------------------------------------------------

OPENING = "2021年，在市委、市政府的坚强领导下，我们深入推进依法行政，取得明显成效。"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # Chinese-numeral date at the end, a circle for zero
            f"{TITLE}\n{OPENING}\n遂宁市司法局\n二○二二年一月十日",
            {"report_date": "2022-01-10", "issuer": "遂宁市司法局"},
        ),
        (f"{TITLE}\n{OPENING}\n二〇二二年十二月三十一日", {"report_date": "2022-12-31"}),
        (  # a formal title on two lines
            f"监利市人民政府\n关于2021年法治政府建设情况的报告\n{OPENING}",
            {"title": "监利市人民政府关于2021年法治政府建设情况的报告", "issuer": "监利市人民政府",
             "locality": "监利市", "locality_chain": ("荆州市", "湖北省"), "year": 2021},
        ),
        (  # no body in the title: the signature above the date names it
            f"关于2021年法治政府建设情况的报告\n{OPENING}\n监利市人民政府\n2022年1月5日",
            {"issuer": "监利市人民政府", "locality": "监利市", "report_date": "2022-01-05", "year": 2021},
        ),
        (  # signature and date on one line
            f"{TITLE}\n{OPENING}\n遂宁市司法局  2023年1月15日",
            {"issuer": "遂宁市司法局", "report_date": "2023-01-15"},
        ),
        (  # a document number line before the title
            f"遂司发〔2023〕5号\n{TITLE}\n{OPENING}",
            {"title": TITLE, "issuer": "遂宁市司法局"},
        ),
        (  # the year comes from the opening, not from the end of a range (2021－2025年)
            "法治政府建设情况报告\n为落实《法治政府建设实施纲要（2021－2025年）》，2022年我局扎实推进依法行政。\n宜昌市生态环境局\n2023年1月20日",
            {"year": 2022, "issuer": "宜昌市生态环境局", "locality": "宜昌市"},
        ),
        (  # no year anywhere but the date: a January report is on the year before
            "法治政府建设情况报告\n我局深入推进依法行政，取得明显成效。\n2023年1月20日",
            {"year": 2022},
        ),
        (f"二〇二一年法治政府建设情况报告\n{OPENING}", {"year": 2021}),
        (  # a township body is not in the division table but is the issuer
            f"民族街道2021年法治政府建设情况报告\n{OPENING}\n民族街道办事处\n2022年1月10日",
            {"issuer": "民族街道", "report_date": "2022-01-10"},
        ),
        (  # an impossible date is no date (and no crash)
            f"{TITLE}\n{OPENING}\n2022年13月45日",
            {"report_date": None, "year": 2022},
        ),
        (  # "关于" before the place
            f"关于监利市2021年法治政府建设情况的报告\n{OPENING}",
            {"locality": "监利市"},
        ),
        (  # a place named with its ancestors: the most specific one is the report's
            f"武汉市江汉区司法局2022年法治政府建设情况报告\n{OPENING}",
            {"locality": "江汉区", "locality_chain": ("武汉市", "湖北省"), "issuer": "武汉市江汉区司法局"},
        ),
        (f"湖北省监利市人民政府2021年法治政府建设情况报告\n{OPENING}", {"locality": "监利市"}),
        (  # two places side by side that are not nested: the first one stands
            f"宜昌市遂宁市司法局2022年法治政府建设情况报告\n{OPENING}",
            {"locality": "宜昌市"},
        ),
    ],
)
def test_read_metadata(text: str, expected: dict[str, object]) -> None:
    meta = read_text(text).meta
    assert {k: getattr(meta, k) for k in expected} == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # the site's header with the day's date is neither the title nor the year
            "今天是:2018年5月9日 星期三 农历三月廿四\n工作报告\n您所在的位置:政务公开 > 工作报告\n"
            "2021年宁乡市法治政府建设情况报告\n文章来源:司法局 更新时间:2022/03/01 10:00:00\n"
            "2021年,宁乡市坚持依法行政,取得明显成效。",
            {"title": "2021年宁乡市法治政府建设情况报告", "year": 2021, "issuer": "宁乡市人民政府",
             "published": "2022-03-01", "locality": "宁乡市"},
        ),
        (  # navigation lines before the title; a site name with a date
            "首页\n政务公开\n互动交流\n荆州市人民政府 2020年1月2日星期四\n荆州市司法局2022年法治政府建设情况报告\n日期:2023-03-01\n"
            "2022年,市司法局坚持以人民为中心,扎实推进依法行政。",
            {"title": "荆州市司法局2022年法治政府建设情况报告", "issuer": "荆州市司法局", "year": 2022},
        ),
        (  # no title: the opening sentence names the body after the year and 在…领导下
            "2020年,在省委、省政府和市委、市政府的正确领导下,宁乡市全面贯彻落实各项决策部署,依法行政水平不断提升。\n"
            "一、主要工作\n我市推进依法行政。",
            {"title": None, "issuer": "宁乡市人民政府", "year": 2020, "locality": "宁乡市"},
        ),
        (  # a ministry by its former name
            "2016年,原国土资源部认真落实党中央、国务院决策部署,推进依法行政。\n一、依法全面履行职能",
            {"issuer": "国土资源部", "year": 2016},
        ),
        (  # a body as the subject of the opening sentence
            "2022年,荆州市生态环境局坚持依法行政,全面推进法治政府建设。",
            {"issuer": "荆州市生态环境局", "locality": "荆州市"},
        ),
        (  # 我局 and no name: the provincial counterpart it reports to names its kind
            "根据有关文件要求,现将法治政府建设工作情况报告如下。\n2022年,我局在荆州市委、市政府领导下推进依法行政。\n"
            "我局依法向市委市政府、省生态环境厅报告年度法治政府建设情况。",
            {"issuer": "荆州市生态环境局", "locality": "荆州市", "year": 2022},
        ),
        (  # an anonymised copy: placeholders stand for the city and its province
            "法治政府建设情况年度报告\n2019年,xx市人民政府坚持依法行政,法治xx建设考评全省排名逐年提升,xx省考评中位列前茅。",
            {"issuer": "xx市人民政府", "locality": "xx市", "locality_chain": ("xx省",), "year": 2019},
        ),
        (  # a body of the report's own place as the subject: 市司法局
            "2022年,市司法局坚持依法行政,全面推进法治政府建设。\n一、主要工作\n荆州市法治政府建设取得成效。",
            {"issuer": "市司法局", "locality": "荆州市"},
        ),
        (  # a title set on two lines, the body's name first
            "桐林镇人民政府\n2023年法治政府建设情况\n2023年,桐林镇坚持依法行政,推进法治政府建设。",
            {"issuer": "桐林镇人民政府", "year": 2023},
        ),
        (  # a district name several cities have: the report's place by name, without a code
            "西湖区司法局2022年法治政府建设年度报告\n2022年,区司法局推进依法行政。",
            {"issuer": "西湖区司法局", "locality": "西湖区", "locality_code": None},
        ),
        (  # a township as the opening sentence's subject
            "2022年,在区委、区政府的正确领导下,桐林镇坚持依法行政,推进法治政府建设。",
            {"issuer": "桐林镇人民政府", "year": 2022},
        ),
        (  # a place at the head of a title is its government
            "静安区2023年度法治政府建设情况报告\n2023年,静安区坚持依法行政。",
            {"issuer": "静安区人民政府", "year": 2023},
        ),
    ],
)
def test_read_metadata_of_real_pages(text: str, expected: dict[str, object]) -> None:
    meta = read_text(text).meta
    assert {k: getattr(meta, k) for k in expected} == expected


def test_read_page_header_and_navigation_are_not_content() -> None:
    doc = read_text("今天是:2018年5月9日 星期三\n首页\n政务公开\n2021年宁乡市法治政府建设情况报告\n2021年,宁乡市推进依法行政。")
    lines = [doc.text[s:e] for s, e in doc.content]
    assert lines == ["2021年宁乡市法治政府建设情况报告", "2021年,宁乡市推进依法行政。"]


def test_read_traditional_script_folded_to_simplified_offsets_kept() -> None:
    text = "二〇二一年法治政府建設情況報告\n縣政府認真貫徹《法治政府建設實施綱要(2021-2025年)》,推進依法行政。"
    doc = read_text(text)
    assert doc.text == text and len(doc.folded) == len(text)
    assert "法治政府建设实施纲要" in doc.folded and "县政府认真贯彻" in doc.folded
    assert doc.meta.year == 2021


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("jiedao-jianghan-2021.txt", ("民族街道2021年法治政府建设情况报告", "民族街道", "江汉区", 2021, "2022-01-10", "2022-01-20", "民族街道办事处")),
        ("shengtai-yichang-2022.txt", ("宜昌市生态环境局关于2022年度法治政府建设情况的报告", "宜昌市生态环境局", "宜昌市", 2022, "2023-01-20", None, None)),
        ("sifaju-suining-2022.txt", ("遂宁市司法局2022年法治政府建设工作情况报告", "遂宁市司法局", "遂宁市", 2022, "2023-01-15", "2023-02-10", "遂宁市司法局")),
    ],
)
def test_read_data_files(name: str, expected: tuple[object, ...]) -> None:
    doc = read_path(DATA / name)
    m = doc.meta
    assert (m.title, m.issuer, m.locality, m.year, m.report_date, m.published, m.source) == expected
    assert not any(ln.startswith(("首页", "来源", "发布日期", "字体", "【打印")) for ln in lines_of(doc))
    check_invariants(doc)


def test_read_sample_report() -> None:
    doc = read_path(sample_path())
    m = doc.meta
    assert (m.title, m.locality, m.locality_chain, m.year, m.report_date, m.published) == (
        "2021年法治政府工作情况报告", "监利市", ("荆州市", "湖北省"), 2021, "2021-12-31", "2022-01-04"
    )
    assert lines_of(doc)[-1] == "2021年12月31日"  # 打印|关闭 after it is debris
    check_invariants(doc)


# ------------------------------------------------------------------------------------------
# folders and module
# ------------------------------------------------------------------------------------------


def test_read_iter_paths_finds_every_format_recursively(tmp_path: Path) -> None:
    for rel in ["a.txt", "sub/b.html", "sub/deeper/c.docx", "d.pdf", "e.HTM", "skip.png", "sub/~$c.docx", ".hidden.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_paths([tmp_path, tmp_path / "a.txt", tmp_path / "skip.png"])]
    assert found == ["a.txt", "d.pdf", "e.HTM", "sub/b.html", "sub/deeper/c.docx", "skip.png"]
    assert {".txt", ".html", ".htm", ".docx", ".pdf"} <= set(SUFFIXES)


def test_read_import_is_light() -> None:
    code = "import graph.read, sys; print(sorted(m for m in ('selectolax', 'docx', 'pypdf', 'charset_normalizer', 'lxml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ------------------------------------------------------------------------------------------
# properties: anything in, a valid Document or an InputError out
# ------------------------------------------------------------------------------------------

_SEEDS = {
    ".txt": REPORT.encode("gbk"),
    ".html": trs_page(TITLE, BODY).encode("utf-8"),
    ".docx": _docx_bytes([TITLE, *BODY]),
}


def _read_or_input_error(data: bytes, name: str) -> None:
    try:
        doc = read_bytes(data, path=name)
    except InputError as e:
        assert "\n" not in str(e)
        return
    check_invariants(doc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096), suffix=st.sampled_from([".txt", ".html", ".docx", ".pdf", ".dat"]))
def test_read_any_bytes_document_or_input_error(data: bytes, suffix: str) -> None:
    _read_or_input_error(data, "x" + suffix)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(st.characters(codec="utf-8"), max_size=400),
    encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]),
)
def test_read_any_text_document_or_input_error(text: str, encoding: str) -> None:
    _read_or_input_error(text.encode(encoding, "replace"), "x.txt")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    suffix=st.sampled_from(sorted(_SEEDS)),
    cut=st.floats(0.0, 1.0),
    edits=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), max_size=8),
)
def test_read_damaged_files_document_or_input_error(suffix: str, cut: float, edits: list[tuple[float, int]]) -> None:
    data = bytearray(_SEEDS[suffix])
    for where, byte in edits:
        data[int(where * (len(data) - 1))] = byte
    if cut < 0.3:  # a third of the cases: a truncated download as well
        data = data[: int(len(data) * cut / 0.3)]
    _read_or_input_error(bytes(data), "x" + suffix)


def test_read_damaged_pdf_document_or_input_error() -> None:
    # a sweep rather than hypothesis: cut a real PDF short, or scribble over it, at 40 places
    seed = _cjk_pdf([TITLE, *BODY])
    for i in range(0, len(seed), max(1, len(seed) // 40)):
        _read_or_input_error(seed[:i], "x.pdf")
        _read_or_input_error(seed[:i] + b"\x00\xff" * 4 + seed[i + 8 :], "x.pdf")


# -- NUL bytes, one-line reports, unreadable folders (issue 13) ------------------------------


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (REPORT.encode()[:30] + b"\x00" + REPORT.encode()[30:], "is text with 1 NUL byte (U+0000, a zero byte) at byte 30"),
        (REPORT.encode() + b"\x00" * 3, "is text with 3 NUL bytes"),
        (REPORT.encode("gb18030")[:20] + b"\x00" + REPORT.encode("gb18030")[20:], "is text with 1 NUL byte"),
        (b"\x00" * 1000, "holds only 1,000 NUL bytes (zero bytes) and no text"),
        (b"\x00", "holds only 1 NUL byte"),
    ],
    ids=["one-nul", "trailing-nuls", "gbk-nul", "thousand-nuls", "one-nul-only"],
)
def test_read_nul_bytes_are_named_for_what_they_are(data: bytes, said: str) -> None:
    with pytest.raises(InputError) as err:
        read_bytes(data, path="r.txt")
    assert said in str(err.value) and "\n" not in str(err.value)
    assert "binary" not in str(err.value) and "is empty" not in str(err.value)


def test_read_binary_with_nuls_is_still_binary() -> None:
    with pytest.raises(InputError, match="binary file"):
        read_bytes(bytes(range(256)) * 4, path="r.txt")


def test_read_report_in_one_paragraph_is_content() -> None:
    """A title line and the whole report (page furniture first) as one 3,500-character line,
    as text copied out of a web page often is: the body was debris, now it is content."""
    lines = sample_path().read_text(encoding="utf-8").split("\n")
    one = lines[0] + "\n" + "".join(x.strip() for x in lines[1:]) + "\n"
    assert len(one.split("\n")[1]) > 3400 and one.split("\n")[1].startswith("发布时间:")
    doc = read_text(one, path="one.txt")
    check_invariants(doc)
    body = "".join(lines_of(doc)[1:])
    assert len(body) > 3400
    assert "发布时间" not in body and body.startswith("2021年以来")
    assert doc.meta.published is not None  # the furniture still gives its date


def test_read_report_in_one_paragraph_builds(tmp_path: Path) -> None:
    from graph.extraction import extract_document

    lines = sample_path().read_text(encoding="utf-8").split("\n")
    one = lines[0] + "\n" + "".join(x.strip() for x in lines[1:]) + "\n"
    ex = extract_document(read_text(one, path="one.txt"))
    whole = extract_document(read_path(sample_path()))
    assert len(ex.entities) >= 0.8 * len(whole.entities)


@pytest.mark.parametrize(
    "line",
    [
        "发布时间:2022-01-04 16:46 来源:监利市人民政府 浏览次数:1234",
        "当前位置:首页 > 政务公开 > 法治政府建设",
        "【打印本页】【关闭窗口】",
        "版权所有:监利市人民政府 ICP备12345678号",
    ],
)
def test_read_page_furniture_is_still_debris(line: str) -> None:
    doc = read_text(f"{TITLE}\n{line}\n" + "\n".join(BODY), path="r.txt")
    assert line not in lines_of(doc)
    assert all("浏览次数" not in x and "打印本页" not in x for x in lines_of(doc))


def test_read_unreadable_subfolder_is_listed(tmp_path: Path, make_unreadable) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "a.txt").write_text(REPORT, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(REPORT, encoding="utf-8")
    make_unreadable(locked)
    skipped: list[tuple[Path, str]] = []
    found = list(iter_paths([tmp_path], on_skip=lambda p, why: skipped.append((p, why))))
    assert found == [tmp_path / "ok" / "a.txt"]
    assert [p for p, _ in skipped] == [locked] and "permission denied" in skipped[0][1]
