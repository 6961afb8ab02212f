"""Client behaviour that needs no real service: metadata, TLS, paging, error details."""
import unittest

from support import FakeServer, pledgebook, self_signed_certificate, temp_dir


class PlaintextTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fake = FakeServer()

    @classmethod
    def tearDownClass(cls):
        cls.fake.stop()

    def last_metadata(self):
        return self.fake.service.metadata[-1]

    def test_token_is_sent_as_bearer_metadata(self):
        with pledgebook.Client(self.fake.address, self.fake.address, token="s3cret") as client:
            self.assertEqual(client.get_document("documents/abc").name, "documents/abc")
        self.assertEqual(self.last_metadata().get("authorization"), "Bearer s3cret")

    def test_token_callable_is_asked_per_call(self):
        tokens = iter(["one", "two"])
        with pledgebook.Client(self.fake.address, self.fake.address, token=lambda: next(tokens)) as client:
            client.get_document("abc")
            self.assertEqual(self.last_metadata().get("authorization"), "Bearer one")
            client.get_document("abc")
            self.assertEqual(self.last_metadata().get("authorization"), "Bearer two")

    def test_no_token_no_authorization(self):
        with pledgebook.Client(self.fake.address, self.fake.address) as client:
            client.get_document("abc")
        self.assertNotIn("authorization", self.last_metadata())

    def test_list_documents_follows_page_tokens(self):
        with pledgebook.Client(self.fake.address, self.fake.address) as client:
            ids = [d.document_id for d in client.list_documents(page_size=2)]
        self.assertEqual(ids, ["a", "b", "c"])

    def test_error_details_are_unpacked(self):
        with pledgebook.Client(self.fake.address, self.fake.address) as client:
            with self.assertRaises(pledgebook.InvalidArgument) as caught:
                client.funding_report(group_by=["funder"], filter="nope = 1")
        error = caught.exception
        self.assertEqual(error.field, "filter")
        self.assertEqual(error.reason, "INVALID_FILTER")
        self.assertEqual(error.domain, "pledgebook.dev")
        self.assertEqual(error.field_violations, [("filter", "unknown field")])
        self.assertIsInstance(error, pledgebook.PledgebookError)

    def test_unreachable_service_is_unavailable(self):
        # Port 1 on loopback: nothing listens there.
        with pledgebook.Client("127.0.0.1:1", "127.0.0.1:1") as client:
            with self.assertRaises(pledgebook.Unavailable):
                client.get_document("abc", timeout=5)

    def test_unknown_enum_names_are_refused_before_any_call(self):
        with pledgebook.Client(self.fake.address, self.fake.address) as client:
            with self.assertRaisesRegex(ValueError, "unknown dimension 'donor'.*funder"):
                client.funding_report(group_by=["donor"])


class TlsTest(unittest.TestCase):
    def test_token_travels_as_call_credential_over_tls(self):
        with temp_dir() as directory:
            key, cert = self_signed_certificate(directory)
            fake = FakeServer(tls=(key, cert))
            try:
                with pledgebook.Client(fake.address, fake.address, token="t0k",
                                       tls={"root_certificates": cert}) as client:
                    self.assertEqual(client.get_document("abc").document_id, "abc")
                self.assertEqual(fake.service.metadata[-1].get("authorization"), "Bearer t0k")
                # A client that does not trust the certificate cannot connect.
                with pledgebook.Client(fake.address, fake.address, tls=True) as client:
                    with self.assertRaises(pledgebook.Unavailable):
                        client.get_document("abc", timeout=5)
            finally:
                fake.stop()


if __name__ == "__main__":
    unittest.main()
