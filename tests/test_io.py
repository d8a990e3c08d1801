"""Readers: real files written to tmp_path, values asserted; every bad input a LogError."""

from __future__ import annotations

import datetime as dt
import gzip
import struct
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from lxml import etree

from discovery.errors import LogError
from discovery.io import (
    detect_decimal,
    list_sheets,
    parse_number,
    read_csv,
    read_table,
    read_xes,
)
from discovery.io._zip import check_xlsx_zip
from discovery.words import Message, say
from tests.conftest import SAMPLE_LOGS

LOGS = Path(__file__).resolve().parents[1].parent / "shared" / "logs"
MB = 1024 * 1024


def shared_log(name: str) -> Path:
    path = LOGS / name
    if not path.exists():
        pytest.skip("../shared/logs not present")
    return path


def said(notes: tuple[Message, ...]) -> list[str]:
    """A reader's notes in English."""
    return [say(note) for note in notes]


def write(path: Path, data: bytes | str, encoding: str = "utf-8") -> Path:
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


# --- CSV -------------------------------------------------------------------------------


def test_csv_semicolon_cp1252(tmp_path):
    text = "zaak;activiteit;tijdstip\n00123;Aanvraag café;01-02-2024 10:00\n123;Beslissing;\n"
    raw = read_table(write(tmp_path / "export.csv", text, "cp1252"))
    assert raw.format == "csv"
    assert list(raw.frame.columns) == ["zaak", "activiteit", "tijdstip"]
    assert raw.frame["activiteit"].tolist() == ["Aanvraag café", "Beslissing"]
    assert raw.frame["zaak"].tolist() == ["00123", "123"]  # text, distinct
    assert pd.isna(raw.frame.loc[3, "tijdstip"])  # empty cell is missing, not "nan"
    assert any("Windows-1252" in note for note in said(raw.notes))
    assert "delimiter ';' (semicolon)" in said(raw.notes)


def test_csv_utf8_bom_header_and_long_ids(tmp_path):
    text = "\ufeff case ,activity,amount\n12345678901234567,A,1\n00000000000000001,B,2\n"
    raw = read_table(write(tmp_path / "bom.csv", text))
    assert list(raw.frame.columns) == ["case", "activity", "amount"]
    assert raw.frame["case"].tolist() == ["12345678901234567", "00000000000000001"]
    assert raw.frame["amount"].tolist() == ["1", "2"]
    assert "encoding UTF-8 with BOM" in said(raw.notes)
    assert "delimiter ',' (comma)" in said(raw.notes)


def test_csv_row_numbers_count_rows_and_explain_lines(tmp_path):
    text = 'id;note\n1;plain\n2;"two\nlines"\n\n3;last\n'
    raw = read_csv(write(tmp_path / "lines.csv", text))
    assert raw.frame.index.tolist() == [2, 3, 4]
    assert raw.frame.loc[3, "note"] == "two\nlines"
    assert any("1 line break inside quoted values" in n for n in said(raw.notes))
    assert any("1 blank line skipped" in n for n in said(raw.notes))


def test_csv_blank_and_duplicate_headers_renamed(tmp_path):
    raw = read_csv(write(tmp_path / "h.csv", "id,,id,status\n1,x,2,open\n"))
    assert list(raw.frame.columns) == ["id", "column_2", "id_2", "status"]
    assert "blank header in column 2 named 'column_2'" in said(raw.notes)
    assert "duplicate header 'id' in column 3 renamed to 'id_2'" in said(raw.notes)


def test_csv_tab_and_pipe(tmp_path):
    tsv = read_csv(write(tmp_path / "a.tsv", "case\tactivity\n1\tA, with comma\n"))
    assert tsv.frame.loc[2, "activity"] == "A, with comma"
    assert "delimiter '\t' (tab)" in said(tsv.notes)
    pipe = read_csv(write(tmp_path / "a.txt", "case|activity\n1|A\n2|B\n"))
    assert pipe.frame["activity"].tolist() == ["A", "B"]


def test_csv_utf16_tab_export(tmp_path):
    data = "case\tactivity\n00123\tcafé\n".encode("utf-16")  # Excel "Unicode text"
    raw = read_table(write(tmp_path / "unicode.txt", data))
    assert raw.frame.loc[2].tolist() == ["00123", "café"]
    assert "encoding UTF-16 (with BOM)" in said(raw.notes)


def test_csv_short_rows_kept_and_noted(tmp_path):
    raw = read_csv(write(tmp_path / "short.csv", "a,b,c\n1,2,3\n4,5\n6,7,8\n"))
    assert raw.frame.index.tolist() == [2, 3, 4]
    assert raw.frame.loc[3, "a"] == "4" and pd.isna(raw.frame.loc[3, "c"])
    assert any("1 row had fewer fields than the header (row 3)" in n for n in said(raw.notes))


def test_csv_long_row_is_an_error_naming_row_and_line(tmp_path):
    path = write(tmp_path / "long.csv", 'a,b\n1,"x\ny"\n2,3,4\n')
    with pytest.raises(LogError) as err:
        read_csv(path)
    assert err.value.row == 3
    assert "line 4" in str(err.value) and "3 fields where the header has 2" in str(err.value)


def test_csv_cp1252_after_first_megabyte(tmp_path):
    body = "id;name\n" + "1;plain\n" * 200_000
    data = body.encode() + "2;café\n".encode("cp1252")
    raw = read_csv(write(tmp_path / "late.csv", data))
    assert raw.frame["name"].iloc[-1] == "café"
    assert any("later text is not" in n for n in said(raw.notes))


def test_csv_gzip_and_multi_member(tmp_path):
    path = tmp_path / "log.csv.gz"
    path.write_bytes(gzip.compress(b"case,activity\n1,A\n") + gzip.compress(b"2,B\n"))
    raw = read_table(path)
    assert raw.frame["case"].tolist() == ["1", "2"]
    assert raw.frame.index.tolist() == [2, 3]


def test_csv_decimal_comma_detected_in_notes(tmp_path):
    text = "case;score;cost\n1;4,5;1.234,56\n2;3;12,00\n"
    raw = read_csv(write(tmp_path / "nl.csv", text))
    assert raw.frame["score"].tolist() == ["4,5", "3"]  # still text
    assert any("column 'score' uses a decimal comma" in n for n in said(raw.notes))
    assert any("column 'cost' uses a decimal comma" in n for n in said(raw.notes))
    assert not any("'case'" in n for n in said(raw.notes))


def test_csv_sepsis_reads_na_case_id_as_text():
    raw = read_table(shared_log("sepsis.csv"))
    assert len(raw.frame) == 15_214
    assert raw.frame["case:concept:name"].nunique() == 1_050
    assert "NA" in set(raw.frame["case:concept:name"])


# --- numbers ---------------------------------------------------------------------------


def test_parse_number_decimal_comma_and_point():
    comma = parse_number(pd.Series(["4,5", "1.234,56", None, "€ 12,50", "n/a"]))
    assert comma.tolist()[:2] == [4.5, 1234.56]
    assert pd.isna(comma.iloc[2]) and comma.iloc[3] == 12.5 and pd.isna(comma.iloc[4])
    point = parse_number(pd.Series(["4.5", "1,234.56", "7"], index=[5, 6, 7]))
    assert point.tolist() == [4.5, 1234.56, 7.0]
    assert point.index.tolist() == [5, 6, 7]


def test_parse_number_ambiguous_and_forced():
    assert parse_number(pd.Series(["1,234"])).tolist() == [1234.0]
    assert parse_number(pd.Series(["1,234"]), decimal=",").tolist() == [1.234]
    assert parse_number(pd.Series([1, 2.5])).tolist() == [1.0, 2.5]


def test_detect_decimal():
    assert detect_decimal(pd.Series(["4,5", "12"])) == ","
    assert detect_decimal(pd.Series(["4.5", "12"])) == "."
    assert detect_decimal(pd.Series(["open", "closed"])) is None


# --- Excel -----------------------------------------------------------------------------


def _workbook(path: Path) -> Path:
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "Summary"
    summary.append(["Metric", "Value"])
    summary.append(["Total cases", 2])
    events = book.create_sheet("Events")
    events.append(["Export of the complaints log"])
    events.append(["Period: January 2024"])
    events.append([])
    events.append(["case", "activity", "time", "cost", None])
    events.append(["00123", "Received", dt.datetime(2024, 1, 2, 9, 30), 12.5, None])
    events.append([123, "Handled", dt.datetime(2024, 1, 3, 14, 0), 7, None])
    events.append([None, None, None, None, None])
    events.append([124, "Closed", dt.datetime(2024, 1, 4, 8, 0), None, "late"])
    book.save(path)
    return path


def test_xlsx_finds_sheet_and_header_below_titles(tmp_path):
    raw = read_table(_workbook(tmp_path / "log.xlsx"))
    assert raw.format == "xlsx" and raw.sheet == "Events"
    assert list(raw.frame.columns) == ["case", "activity", "time", "cost", "column_E"]
    assert raw.frame.index.tolist() == [5, 6, 8]  # Excel row numbers, empty row 7 skipped
    assert raw.frame.loc[5, "case"] == "00123"
    assert raw.frame.loc[6, "case"] == 123 and not isinstance(raw.frame.loc[6, "case"], str)
    assert raw.frame.loc[6, "time"] == pd.Timestamp(2024, 1, 3, 14, 0)
    assert pd.isna(raw.frame.loc[8, "cost"])
    assert raw.frame.loc[8, "column_E"] == "late"
    assert any("'Events' chosen" in n and "'Summary'" in n for n in said(raw.notes))
    assert "header found on row 4; 3 rows above it skipped" in said(raw.notes)
    assert "1 empty row skipped" in said(raw.notes)


def test_xlsx_sheet_by_name_and_list(tmp_path):
    path = _workbook(tmp_path / "log.xlsx")
    assert list_sheets(path) == ["Summary", "Events"]
    raw = read_table(path, sheet="Summary")
    assert raw.sheet == "Summary" and raw.frame.columns.tolist() == ["Metric", "Value"]
    assert raw.frame.loc[2, "Value"] == 2 and raw.frame["Value"].dtype == "Int64"
    with pytest.raises(LogError, match="no sheet named 'Nope'; its sheets are 'Summary', 'Events'"):
        read_table(path, sheet="Nope")


def test_xlsx_without_dates_takes_first_sheet_with_data(tmp_path):
    book = openpyxl.Workbook()
    book.active.title = "Empty"
    data = book.create_sheet("Data")
    data.append(["case", "activity"])
    data.append(["1", "A"])
    book.save(tmp_path / "plain.xlsx")
    raw = read_table(tmp_path / "plain.xlsx")
    assert raw.sheet == "Data"
    assert any("first sheet with data" in n for n in said(raw.notes))


def test_xlsx_header_only(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["case", "activity", "time"])
    book.save(tmp_path / "header.xlsx")
    with pytest.raises(LogError, match="has a header but no data rows"):
        read_table(tmp_path / "header.xlsx")


def test_xlsx_uploaded_under_temp_name(tmp_path):
    path = _workbook(tmp_path / "upload-7f3a")
    raw = read_table(path, name="klachten.xlsx")
    assert raw.source == "klachten.xlsx" and len(raw.frame) == 3


# --- XES -------------------------------------------------------------------------------


def _file_events(path: Path) -> list[tuple[str, str]]:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    root = etree.parse(str(path), parser).getroot()
    found = []
    for element in root.iter("{*}event", "event"):
        trace = element.getparent()
        case = trace.find("./*[@key='concept:name']").get("value")
        found.append((case, element.find("./*[@key='concept:name']").get("value")))
    return found


def test_xes_running_example():
    path = shared_log("running-example.xes")
    raw = read_table(path)
    frame = raw.frame
    assert raw.format == "xes"
    assert (len(frame), frame["case_id"].nunique(), frame["activity"].nunique()) == (42, 6, 8)
    assert raw.roles == {
        "case_id": "case_id",
        "activity": "activity",
        "timestamp": "timestamp",
        "resource": "resource",
    }
    assert frame.index.tolist() == list(range(1, 43))
    assert list(zip(frame["case_id"], frame["activity"], strict=True)) == _file_events(path)
    # 2010-12-30T14:32:00.000+01:00 in the file
    assert frame.loc[1, "timestamp"] == pd.Timestamp("2010-12-30 13:32", tz="UTC")
    assert str(frame["timestamp"].dt.tz) == "UTC"
    assert frame["case_id"].map(type).eq(str).all()
    assert "creator" in frame.columns  # case:creator
    assert any("converted to UTC" in n for n in said(raw.notes))


REFERENCE = {  # events, cases, activities, from ../shared/logs/README.md
    "roadtraffic100traces.xes": (390, 100, 10),
    "receipt.xes.gz": (8_577, 1_434, 27),
    "helpdesk.xes.gz": (21_348, 4_580, 14),
    "DomesticDeclarations.xes.gz": (56_437, 10_500, 17),
    "PermitLog.xes.gz": (86_581, 7_065, 51),
    "BPI_Challenge_2012_W_Two_TS.xes.gz": (118_604, 8_616, 6),
}


@pytest.mark.slow
@pytest.mark.parametrize(("log", "expected"), REFERENCE.items())
def test_xes_reference_figures(log, expected):
    frame = read_table(shared_log(log)).frame
    assert (len(frame), frame["case_id"].nunique(), frame["activity"].nunique()) == expected
    assert frame.index[0] == 1 and frame.index[-1] == len(frame)


def test_xes_rows_in_file_order_gz():
    path = shared_log("receipt.xes.gz")
    frame = read_table(path).frame
    assert list(zip(frame["case_id"], frame["activity"], strict=True)) == _file_events(path)


def test_rustxes_itself_leaves_entities_unexpanded(tmp_path):
    """What the reader behind our guard does with entities: nothing (no file is read)."""
    import rustxes

    text = XES_HEAD + (
        '<!DOCTYPE log [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY a "expanded">]>\n'
        '<log><trace><string key="concept:name" value="1"/>'
        '<event><string key="concept:name" value="&xxe;"/><string key="x" value="&a;"/>'
        "</event></trace></log>"
    )
    table, _ = rustxes.import_xes(str(write(tmp_path / "xxe.xes", text)))
    row = table.to_dicts()[0]
    assert row["concept:name"] == "&xxe;" and row["x"] == "&a;"


@pytest.mark.slow
def test_xes_bpic2012_counts():
    raw = read_table(shared_log("bpic2012.xes.gz"))
    frame = raw.frame
    assert len(frame) == 262_200
    assert frame["case_id"].nunique() == 13_087
    assert frame["activity"].nunique() == 24
    assert raw.roles["lifecycle"] == "lifecycle"


XES_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def test_xes_keys_types_and_orphans(tmp_path):
    text = XES_HEAD + (
        '<log><event><string key="concept:name" value="orphan"/></event>'
        '<trace><int key="concept:name" value="7"/><string key="creator" value="x"/>'
        '<string key="org:group" value="Backoffice"/>'
        '<event><string key="concept:name" value="A &amp; B"/>'
        '<date key="time:timestamp" value="2020-01-01T10:00:00+05:30"/>'
        '<string key="org:group" value="Intake"/><string key="creator" value="e"/>'
        '<int key="n" value="5"/></event>'
        '<event><string key="concept:name" value="C"/></event></trace>'
        '<trace><string key="concept:name" value="t2"/>'
        '<event><string key="concept:name" value="D"/></event></trace></log>'
    )
    raw = read_xes(write(tmp_path / "small.xes", text))
    frame = raw.frame
    assert frame["activity"].tolist() == ["A & B", "C", "D"]
    assert frame["case_id"].tolist() == ["7", "7", "t2"]
    assert frame["department"].tolist()[0] == "Intake"  # event org:group
    assert frame["org:group"].tolist()[0] == "Backoffice"  # trace's case:org:group
    assert frame["case_creator"].tolist()[0] == "x" and frame["creator"].tolist()[0] == "e"
    assert frame["n"].dtype == "Int64"
    assert frame.loc[1, "timestamp"] == pd.Timestamp("2020-01-01 04:30", tz="UTC")
    assert any("1 event outside any trace" in n for n in said(raw.notes))


def _timed_error(path: Path) -> tuple[LogError, float]:
    start = time.perf_counter()
    with pytest.raises(LogError) as err:
        read_table(path)
    return err.value, time.perf_counter() - start


def test_xes_xxe_refused_fast(tmp_path, capfd):
    text = XES_HEAD + (
        '<!DOCTYPE log [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        '<log><trace><string key="concept:name" value="1"/>'
        '<event><string key="concept:name" value="&xxe;"/></event></trace></log>'
    )
    error, elapsed = _timed_error(write(tmp_path / "xxe.xes", text))
    assert "DOCTYPE/entities; refused for safety" in str(error)
    assert elapsed < 1
    assert "root:" not in capfd.readouterr().out


def test_xes_billion_laughs_refused_fast(tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    text = XES_HEAD + (
        f"<!-- a comment first -->\n<!DOCTYPE lolz [{entities}]>\n"
        '<log><trace><event><string key="concept:name" value="&lol9;"/></event></trace></log>'
    )
    error, elapsed = _timed_error(write(tmp_path / "lol.xes", text))
    assert "refused for safety" in str(error) and elapsed < 1
    gz = tmp_path / "lol.xes.gz"
    gz.write_bytes(gzip.compress(text.encode()))
    error, elapsed = _timed_error(gz)
    assert "refused for safety" in str(error) and elapsed < 1


def test_xes_malformed_is_a_clean_error(tmp_path, capfd):
    truncated = XES_HEAD + '<log><trace><event><string key="concept:name" val'
    error, _ = _timed_error(write(tmp_path / "cut.xes", truncated))
    assert "is not a valid XES file" in str(error)
    assert "panicked" not in capfd.readouterr().err
    error, _ = _timed_error(write(tmp_path / "junk.xes", b"\x89garbage\x00\x01" * 50))
    assert "XES" in str(error)
    error, _ = _timed_error(write(tmp_path / "html.xes", "<html><body>hi</body></html>"))
    assert "not an XES file" in str(error)
    error, _ = _timed_error(write(tmp_path / "u16.xes", XES_HEAD + "<log/>", "utf-16"))
    assert "not UTF-8" in str(error)


# --- Parquet ---------------------------------------------------------------------------


def test_parquet(tmp_path):
    table = pa.table(
        {
            "case": ["00123", "123"],
            "activity": ["A", "B"],
            "time": pa.array([dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 2)]),
        }
    )
    pq.write_table(table, tmp_path / "log.parquet")
    raw = read_table(tmp_path / "log.parquet")
    assert raw.format == "parquet"
    assert raw.frame["case"].tolist() == ["00123", "123"]
    assert raw.frame.index.tolist() == [1, 2]
    assert raw.frame.loc[2, "time"] == pd.Timestamp(2024, 1, 2)


@pytest.mark.parametrize(
    "frame",
    [
        pd.DataFrame(  # pandas writes a categorical's whole dictionary in every row group
            {
                "case": pd.Categorical(["b", "a", None, "b"] * 5),
                "self": pd.Categorical(["x"] * 20),  # a name pandas's `assign` could not take
                "time": pd.date_range("2024-01-01", periods=20, freq="h"),
            }
        ),
        pd.DataFrame(  # pandas's own index, stored as a column: dropped, as before
            {"case": pd.Categorical(["a", "b"] * 10)},
            index=pd.Index(pd.Categorical(["i", "j"] * 10), name="id"),
        ),
    ],
)
def test_parquet_categoricals_read_as_pyarrow_makes_them(tmp_path, frame):
    frame.to_parquet(tmp_path / "log.parquet", row_group_size=3)
    expected = pq.read_table(tmp_path / "log.parquet").to_pandas()
    expected.index = pd.RangeIndex(1, len(expected) + 1)
    got = read_table(tmp_path / "log.parquet").frame
    pd.testing.assert_frame_equal(got, expected, check_exact=True)


def test_parquet_dictionaries_differing_per_row_group(tmp_path):
    chunks = [pa.array(["x", "y"]).dictionary_encode(), pa.array(["y", "z"]).dictionary_encode()]
    pq.write_table(pa.table({"case": pa.chunked_array(chunks)}), tmp_path / "log.parquet")
    assert read_table(tmp_path / "log.parquet").frame["case"].tolist() == ["x", "y", "y", "z"]


def test_parquet_name_without_magic(tmp_path):
    with pytest.raises(LogError, match="not a Parquet file"):
        read_table(write(tmp_path / "fake.parquet", "a,b\n1,2\n"))


# --- bad input of every kind -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("zero.csv", b"", "file is empty (0 bytes)"),
        ("blank.csv", b"  \n\n \t\n", "file is empty (only whitespace)"),
        ("header.csv", b"case;activity;time\n", "has a header but no data rows"),
        ("binary.csv", bytes(range(256)) * 20, "not a text file"),
        ("text.xlsx", b"case,activity\n1,A\n", "is not an Excel workbook"),
        ("zero.xlsx", b"", "file is empty (0 bytes)"),
        ("zero.xes", b"", "file is empty (0 bytes)"),
    ],
)
def test_bad_inputs(tmp_path, name, data, message):
    with pytest.raises(LogError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_table(write(tmp_path / name, data))


def test_error_names_display_name(tmp_path):
    with pytest.raises(LogError) as err:
        read_table(write(tmp_path / "tmp123", b""), name="export.csv")
    assert str(err.value) == "export.csv: file is empty (0 bytes)"


def test_password_protected_xlsx(tmp_path):
    fake = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096
    with pytest.raises(LogError, match=r"password-protected or an old \.xls workbook"):
        read_table(write(tmp_path / "secret.xlsx", fake))


@pytest.mark.parametrize(
    "path", ["http://example.com/log.csv", "s3://bucket/log.parquet", "file:///etc/passwd"]
)
def test_url_refused(path):
    with pytest.raises(LogError, match="looks like a URL"):
        read_table(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(LogError, match="file not found"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(LogError, match="is a folder"):
        read_table(tmp_path)


def _gzip_stream(path: Path, chunk: bytes, repeats: int, head: bytes = b"") -> Path:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    with path.open("wb") as out:
        out.write(packer.compress(head))
        for _ in range(repeats):
            out.write(packer.compress(chunk))
        out.write(packer.flush())
    return path


def test_gzip_bomb_refused_from_trailer(tmp_path):
    bomb = _gzip_stream(tmp_path / "zeros.csv.gz", b"\x00" * MB, 200)
    error, elapsed = _timed_error(bomb)
    assert "likely decompression bomb" in str(error) and elapsed < 1


def test_gzip_forged_size_refused_while_streaming(tmp_path):
    bomb = _gzip_stream(tmp_path / "forged.csv.gz", b"1,2\n" * (MB // 4), 200, b"a,b\n")
    data = bytearray(bomb.read_bytes())
    data[-4:] = struct.pack("<I", 1000)  # claim 1000 bytes uncompressed
    bomb.write_bytes(bytes(data))
    error, elapsed = _timed_error(bomb)
    assert "expands more than 500 times" in str(error)  # stopped mid-stream, at 100 MB
    # the message shows it stopped mid-stream; the bound only catches a hang, and leaves
    # room for a loaded 2-core machine (3.1 s seen under parallel test runs, 1 s alone)
    assert elapsed < 10


def test_xes_gzip_forged_size_refused(tmp_path):
    head = (XES_HEAD + "<log>").encode()
    bomb = _gzip_stream(tmp_path / "forged.xes.gz", b" " * MB, 200, head)
    data = bytearray(bomb.read_bytes())
    data[-4:] = struct.pack("<I", 1000)
    bomb.write_bytes(bytes(data))
    error, elapsed = _timed_error(bomb)
    assert "expands more than" in str(error) and elapsed < 3


def test_xlsx_bomb_refused_before_parsing(tmp_path):
    path = _workbook(tmp_path / "bomb.xlsx")
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/huge.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(300):
            member.write(b"\x00" * MB)
    error, elapsed = _timed_error(path)
    assert "likely decompression bomb" in str(error) and elapsed < 3


def test_xlsx_lying_member_size_refused(tmp_path):
    path = _workbook(tmp_path / "liar.xlsx")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/pad.bin", b"\x00" * (5 * MB))
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo("xl/media/pad.bin").header_offset
    data = bytearray(path.read_bytes())
    name = b"xl/media/pad.bin"
    central = data.rfind(b"PK\x01\x02")
    assert data[local + 30 : local + 30 + len(name)] == name
    assert data[central + 46 : central + 46 + len(name)] == name
    struct.pack_into("<I", data, local + 22, 1000)  # uncompressed size in the local header
    struct.pack_into("<I", data, central + 24, 1000)  # ... and in the central directory
    path.write_bytes(bytes(data))
    with pytest.raises(LogError, match="holds more than its declared size"):
        read_table(path)


def _sheet_workbook(path: Path, rows, head: bytes = b"") -> Path:
    """A one-sheet workbook made by openpyxl whose sheet XML is replaced by `rows` (an
    iterable of XML pieces): a workbook no Excel wrote, as an attacker would make it."""
    book = openpyxl.Workbook()
    book.active.append(["case", "activity", "time"])
    made = path.with_suffix(".made.xlsx")
    book.save(made)
    ns = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, source.read(info))
                continue
            with out.open(info.filename, "w", force_zip64=True) as member:
                member.write(ns + head + b"<sheetData>")
                for piece in rows:
                    member.write(piece)
                member.write(b"</sheetData></worksheet>")
    return path


def _rows(count: int, numbered: bool = True):
    batch = []
    for row in range(1, count + 1):
        ref = f' r="{row}"' if numbered else ""
        cell = f' r="A{row}"' if numbered else ""
        batch.append(f"<row{ref}><c{cell}><v>1</v></c></row>")
        if len(batch) == 10_000:
            yield "".join(batch).encode()
            batch = []
    yield "".join(batch).encode()


def test_workbooks_as_excel_writes_them_compress_far_below_the_bomb_ratio(tmp_path):
    """The 100:1 limit stands on this: written workbooks pack 11-17:1, even when every row
    is the same (the row and cell references change in every row)."""
    from discovery.io._safety import MAX_XLSX_RATIO

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Events")
    for _ in range(100_000):
        sheet.append(["P000001", "Bloedafname", dt.datetime(2024, 1, 2, 9, 30), "Lab"])
    same = tmp_path / "same_row.xlsx"
    book.save(same)
    ratios = []
    for path in [*SAMPLE_LOGS.glob("*.xlsx"), same]:
        with zipfile.ZipFile(path) as archive:
            sheets = [i for i in archive.infolist() if i.filename.startswith("xl/worksheets/")]
            ratios += [info.file_size / info.compress_size for info in sheets]
    assert len(ratios) >= 6
    assert min(ratios) > 5 and max(ratios) < 20 < MAX_XLSX_RATIO


def test_xlsx_with_more_rows_than_excel_holds_refused_while_checked(tmp_path):
    path = _sheet_workbook(tmp_path / "rows.xlsx", _rows(1_048_577))
    error, elapsed = _timed_error(path)
    assert "more than 1,048,576 rows, more than Excel can hold" in str(error)
    assert "rows.xlsx" in str(error) and elapsed < 5


def test_xlsx_bomb_of_unnumbered_rows_refused_by_its_compression(tmp_path):
    # 3,000,000 rows without references pack far tighter than anything Excel writes
    path = _sheet_workbook(tmp_path / "tight.xlsx", _rows(3_000_000, numbered=False))
    error, elapsed = _timed_error(path)
    assert "likely decompression bomb" in str(error) and elapsed < 1


def test_xlsx_row_number_or_dimension_beyond_excel_refused(tmp_path):
    far = [b'<row r="1"><c r="A1"><v>1</v></c></row>', b'<row r="2000000"><c><v>1</v></c></row>']
    with pytest.raises(LogError, match="more than 1,048,576 rows"):
        read_table(_sheet_workbook(tmp_path / "far.xlsx", far))
    wide = b'<dimension ref="A1:XFE2"/>'
    with pytest.raises(LogError, match="more than 16,384 columns"):
        read_table(_sheet_workbook(tmp_path / "wide.xlsx", _rows(2), head=wide))
    cells = b"".join(b'<c r="A1"><v>1</v></c>' for _ in range(20_000))
    with pytest.raises(LogError, match="more than 16,384 columns"):
        read_table(_sheet_workbook(tmp_path / "cells.xlsx", [b'<row r="1">' + cells + b"</row>"]))


def test_xlsx_with_a_stray_cell_far_from_the_table_refused_before_it_is_laid_out(tmp_path):
    # within Excel's limits, but a reader would lay out 1,048,576 x 16,384 cells (calamine
    # then aborts the process): checked on the zip alone, so a regression fails, not aborts
    stray = [b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>']
    path = _sheet_workbook(tmp_path / "stray.xlsx", [*_rows(1_000), *stray])
    with pytest.raises(LogError) as error:
        check_xlsx_zip(path, "stray.xlsx")
    message = "spans 1,048,576 rows by 16,384 columns, more than the 100,000,000 cells"
    assert message in str(error.value)
    # a wide table of a few rows is fine
    cells = b"".join(f'<c r="{c}1"><v>1</v></c>'.encode() for c in ("A", "AB", "ZZ", "AAA"))
    wide = _sheet_workbook(tmp_path / "wide.xlsx", [b'<row r="1">' + cells + b"</row>"])
    check_xlsx_zip(wide, "wide.xlsx")


def test_xlsx_cells_without_attributes_count_towards_the_columns(tmp_path):
    bare = b"".join(b"<c><v>1</v></c>" for _ in range(16_385))
    with pytest.raises(LogError, match="more than 16,384 columns"):
        read_table(_sheet_workbook(tmp_path / "bare.xlsx", [b"<row>" + bare + b"</row>"]))


def test_a_dimension_beyond_excel_is_said_as_declared(tmp_path):
    head = b'<dimension ref="A1:D1048577"/>'
    with pytest.raises(LogError, match=r"declares a size \(<dimension ref=\"A1:D1048577\""):
        read_table(_sheet_workbook(tmp_path / "tall.xlsx", _rows(3), head=head))


def test_xlsx_at_excel_limits_is_read(tmp_path):
    tall = _sheet_workbook(
        tmp_path / "tall.xlsx", _rows(1_048_576), head=b'<dimension ref="A1:CQ1048576"/>'
    )
    check_xlsx_zip(tall, "tall.xlsx")  # Excel's last row, 95 columns: no refusal


def test_zip_that_is_not_a_workbook(tmp_path):
    with zipfile.ZipFile(tmp_path / "docs.xlsx", "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(LogError, match="not an Excel workbook"):
        read_table(tmp_path / "docs.xlsx")


def test_unexpected_parser_failure_becomes_log_error(tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pq, "ParquetFile", broken)  # the reader imports pyarrow.parquet when used
    pq.write_table(pa.table({"a": [1]}), tmp_path / "x.parquet")
    with pytest.raises(LogError, match=r"x.parquet: could not be read as Parquet \(RuntimeError"):
        read_table(tmp_path / "x.parquet")


def test_content_beats_extension(tmp_path):
    workbook = _workbook(tmp_path / "really-excel.csv")
    assert read_table(workbook).format == "xlsx"
    csv = write(tmp_path / "upload-1", "case,activity\n1,A\n")
    assert read_table(csv, name="export.csv").source == "export.csv"


def test_empty_time_cells_in_a_csv_are_missing_not_a_crash(tmp_path):
    from discovery import read_event_log

    path = tmp_path / "export.csv"
    path.write_text(
        "zaak;activiteit;starttijd;eindtijd\n"
        "1;A;;01-02-2025 10:00\n"  # no start time: the event keeps its end time only
        "1;B;01-02-2025 11:00;01-02-2025 11:30\n"
        "2;A;01-02-2025 09:00; \n"  # no end time: rejected, named
        "2;B;01-02-2025 12:00;01-02-2025 12:30\n",
        encoding="utf-8",
    )
    log = read_event_log(path)
    assert (log.quality.rows_read, log.quality.rows_used, log.quality.rows_rejected) == (4, 3, 1)
    rejected = log.quality.rejected.iloc[0]
    assert (rejected["row"], say(rejected["reason"]), rejected["column"]) == (
        4,
        "missing timestamp",
        "eindtijd",
    )
    assert log.events["start_timestamp"].isna().tolist() == [True, False, False]
