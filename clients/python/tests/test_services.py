"""The client against the real ingest-service and report-service (started by
tests/clients/with-services.sh on a fresh database)."""
import queue
import threading
import time
import unittest

from support import FACT_SHEET, pledgebook, service_addresses

# A small second document: two prose sentences with amounts, two initiatives.
SECOND_DOCUMENT = (b"Watch test\n\nThe United States will provide $5 million to Mexico for clean water.\n\n"
                   b"Canada will provide $3 million to Mexico for roads.\n")


class ServicesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        ingest_addr, report_addr = service_addresses()
        cls.client = pledgebook.Client(ingest_addr, report_addr)
        cls.fact_sheet = cls.client.ingest(FACT_SHEET, publisher="The White House")
        cls.only_fact_sheet = 'document_id = "%s"' % cls.fact_sheet.document_id

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def test_ingest_is_idempotent(self):
        self.assertRegex(self.fact_sheet.document_id, "^[0-9a-f]{32}$")
        self.assertEqual(self.fact_sheet.name, "documents/" + self.fact_sheet.document_id)
        self.assertEqual(self.fact_sheet.stats.initiative_count, 20)
        again = self.client.ingest(FACT_SHEET)
        self.assertFalse(again.created)
        self.assertEqual(again.document_id, self.fact_sheet.document_id)

    def test_parse_stores_nothing(self):
        document = self.client.parse(FACT_SHEET)
        self.assertEqual(len(document.sections), 4)
        self.assertEqual(sum(len(s.initiatives) for s in document.sections), 20)
        self.assertEqual(sum(len(i.money) for s in document.sections for i in s.initiatives), 4)

    def test_stream_initiatives(self):
        initiatives = list(self.client.initiatives(filter=self.only_fact_sheet))
        self.assertEqual(len(initiatives), 20)
        self.assertEqual([i.index for i in initiatives], list(range(20)))
        self.assertTrue(all(i.document_id == self.fact_sheet.document_id for i in initiatives))
        funded = list(self.client.initiatives(filter=self.only_fact_sheet + " AND has_funding = true"))
        self.assertEqual(sum(len(i.money) for i in funded), 4)
        self.assertEqual(len(list(self.client.initiatives(filter=self.only_fact_sheet, limit=3))), 3)

    def test_stopping_a_stream_early(self):
        stream = self.client.initiatives(filter=self.only_fact_sheet)
        first = next(stream)
        stream.close()  # cancels the call
        self.assertEqual(first.index, 0)

    def test_funding_report(self):
        report = self.client.funding_report(group_by=["funder"], filter=self.only_fact_sheet)
        self.assertEqual(len(report.totals), 1)
        total = report.totals[0].total
        self.assertEqual((total.currency_code, total.units, total.nanos), ("USD", 5_374_038_000, 0))
        self.assertEqual(pledgebook.format_money(total), "USD 5,374,038,000")
        rows = {pledgebook.row_label(r): pledgebook.money_to_decimal(r.total) for r in report.rows}
        self.assertEqual(rows["EPA + CONAGUA"], 474_000_000)
        self.assertEqual(sum(rows.values()), 5_374_038_000)

    def test_funding_report_split_evenly(self):
        report = self.client.funding_report(group_by=["funder"], filter=self.only_fact_sheet,
                                            joint="split_evenly")
        labels = [pledgebook.row_label(r) for r in report.rows]
        self.assertNotIn("EPA + CONAGUA", labels)
        self.assertEqual(report.totals[0].total.units, 5_374_038_000)

    def test_get_and_list_documents(self):
        document = self.client.get_document(self.fact_sheet.name)
        self.assertEqual(document.document_id, self.fact_sheet.document_id)
        self.assertEqual(document.publisher, "The White House")
        self.assertEqual(document.stats.initiative_count, 20)
        second = self.client.ingest(SECOND_DOCUMENT + b"\nListed.\n")
        ids = [d.document_id for d in self.client.list_documents(page_size=1)]
        self.assertIn(self.fact_sheet.document_id, ids)
        self.assertIn(second.document_id, ids)
        self.assertEqual(len(ids), len(set(ids)))

    def test_unknown_document_is_not_found(self):
        with self.assertRaises(pledgebook.NotFound) as caught:
            self.client.get_document("0" * 32)
        self.assertEqual(caught.exception.code.name, "NOT_FOUND")

    def test_bad_filter_is_invalid_argument_naming_the_field(self):
        with self.assertRaises(pledgebook.InvalidArgument) as caught:
            list(self.client.initiatives(filter="no_such_field = 1"))
        self.assertEqual(caught.exception.field, "filter")
        self.assertIn("no_such_field", str(caught.exception))
        with self.assertRaises(pledgebook.InvalidArgument) as caught:
            self.client.funding_report(group_by=["funder"], filter="has_funding = ")
        self.assertEqual(caught.exception.field, "filter")

    def test_ingest_many_fails_bad_documents_alone(self):
        response = self.client.ingest_many([FACT_SHEET, b"\xff\xfe not utf-8"])
        self.assertEqual(len(response.results), 2)
        self.assertEqual(response.results[0].response.document_id, self.fact_sheet.document_id)
        self.assertEqual(response.results[1].status.code, 3)  # INVALID_ARGUMENT
        self.assertEqual((response.existing_count, response.failed_count), (1, 1))

    def test_watch_and_resume(self):
        events = queue.Queue()

        def watch():
            try:
                for event in self.client.watch(timeout=30):
                    events.put(event)
                    return  # the first event is enough; leaving cancels the stream
            except Exception as error:  # handed to the test thread
                events.put(error)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        time.sleep(1.0)  # the watch starts "from now" when the server receives it
        second = self.client.ingest(SECOND_DOCUMENT)
        first = events.get(timeout=30)
        self.assertNotIsInstance(first, Exception)
        self.assertEqual(first.initiative.document_id, second.document_id)
        self.assertEqual(first.initiative.index, 0)
        watcher.join(5)
        # Resuming after the first initiative yields the second one.
        resumed = next(self.client.watch(resume_cursor=first.cursor, timeout=30))
        self.assertEqual(resumed.initiative.document_id, second.document_id)
        self.assertEqual(resumed.initiative.index, 1)

    def test_bad_resume_cursor(self):
        with self.assertRaises(pledgebook.InvalidArgument) as caught:
            next(self.client.watch(resume_cursor="not-a-cursor", timeout=10))
        self.assertEqual(caught.exception.field, "resume_cursor")


if __name__ == "__main__":
    unittest.main()
