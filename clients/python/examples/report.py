#!/usr/bin/python3
"""Ingests documents and prints the funding report by funder.

    PYTHONPATH=clients/python /usr/bin/python3 clients/python/examples/report.py tests/fixtures/hled-2022-factsheet.txt

The services' addresses come from $PLEDGEBOOK_INGEST_ADDR and
$PLEDGEBOOK_REPORT_ADDR (defaults 127.0.0.1:50051 and 127.0.0.1:50052).
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import pledgebook  # noqa: E402


def main(paths):
    with pledgebook.Client() as client:
        for path in paths:
            result = client.ingest(path)
            print("%s %s (%d initiatives)" % ("created" if result.created else "already stored",
                                             result.name, result.stats.initiative_count))
        funded = sum(1 for _ in client.initiatives(filter="has_funding = true"))
        print("initiatives with funding: %d" % funded)
        try:
            report = client.funding_report(group_by=["funder"])
        except pledgebook.InvalidArgument as error:
            sys.exit("bad request (%s): %s" % (error.field, error.message))
        for row in report.rows:
            print("%-32s %24s %4d" % (pledgebook.row_label(row), pledgebook.format_money(row.total), row.count))
        for total in report.totals:
            print("%-32s %24s %4d" % ("Grand total", pledgebook.format_money(total.total), total.count))


if __name__ == "__main__":
    try:
        main(sys.argv[1:])
    except pledgebook.Unavailable as error:
        sys.exit("cannot reach Pledgebook: %s" % error)
