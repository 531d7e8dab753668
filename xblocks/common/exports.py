"""Downloads for staff and learners: CSV tables, Markdown, JSON and printable HTML files.

CSV exports are streamed: rows come from a generator (the stores read them in chunks) and
are sent in batches as they are written, so a course of 20,000 learners never sits in
memory whole. They begin with a UTF-8 byte-order mark, without which Excel reads the file as
the system's legacy code page and garbles Polish, Bulgarian or Slovak text. CSV cells that
begin with =, +, - or @ are prefixed with a quote so that a learner's text cannot run as a
formula when staff open the export in a spreadsheet.
"""
import csv
import io
import json

from webob import Response

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
UTF8_BOM = "\ufeff"
CSV_BATCH_ROWS = 500


def _safe_cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_chunks(header, rows, batch=CSV_BATCH_ROWS):
    """The CSV file as UTF-8 chunks of `batch` rows, the byte-order mark first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(UTF8_BOM)
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([_safe_cell(cell) for cell in row])
        if count % batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _attachment(filename):
    return f'attachment; filename="{filename}"'


def download(body, filename, content_type):
    """A response the browser saves as `filename`."""
    return Response(body=body.encode("utf-8"), content_type=content_type, charset="utf-8",
                    content_disposition=_attachment(filename))


def csv_response(filename, header, rows):
    """A streamed CSV download (see the module docstring)."""
    return Response(app_iter=csv_chunks(header, rows), content_type="text/csv", charset="utf-8",
                    content_disposition=_attachment(filename))


def json_download(filename, payload):
    """`payload` as an indented JSON file (a learner's "Download my data")."""
    return download(json.dumps(payload, indent=2, ensure_ascii=False), filename, "application/json")


def html_page(body):
    """A standalone page (a printable view) shown in the browser, not downloaded."""
    return Response(body=body.encode("utf-8"), content_type="text/html", charset="utf-8")
