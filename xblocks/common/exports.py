"""Downloads for staff and learners: CSV tables, Markdown, JSON and printable HTML files.

CSV cells that begin with =, +, - or @ are prefixed with a quote so that a learner's
text cannot run as a formula when staff open the export in a spreadsheet.
"""
import csv
import io
import json

from webob import Response

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value):
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_text(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_cell(cell) for cell in row])
    return buffer.getvalue()


def download(body, filename, content_type):
    """A response the browser saves as `filename`."""
    return Response(
        body=body.encode("utf-8"),
        content_type=content_type,
        charset="utf-8",
        content_disposition=f'attachment; filename="{filename}"',
    )


def csv_response(filename, header, rows):
    return download(csv_text(header, rows), filename, "text/csv")


def json_download(filename, payload):
    """`payload` as an indented JSON file (a learner's "Download my data")."""
    return download(json.dumps(payload, indent=2, ensure_ascii=False), filename, "application/json")


def html_page(body):
    """A standalone page (a printable view) shown in the browser, not downloaded."""
    return Response(body=body.encode("utf-8"), content_type="text/html", charset="utf-8")
