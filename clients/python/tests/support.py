"""Test support: where the services are, and a fake report-service."""
import os
import subprocess
import sys
import tempfile
from concurrent import futures

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import grpc  # noqa: E402

import pledgebook  # noqa: E402
from pledgebook import _proto  # noqa: E402
from google.protobuf import any_pb2  # noqa: E402

FIXTURES = os.environ.get("PLEDGEBOOK_TEST_FIXTURES",
                          os.path.join(HERE, "..", "..", "..", "tests", "fixtures"))
FACT_SHEET = os.path.join(FIXTURES, "hled-2022-factsheet.txt")


def service_addresses():
    """The real services' addresses, set by tests/clients/with-services.sh; never skipped."""
    ingest = os.environ.get("PLEDGEBOOK_INGEST_ADDR")
    report = os.environ.get("PLEDGEBOOK_REPORT_ADDR")
    if not ingest or not report:
        raise RuntimeError(
            "PLEDGEBOOK_INGEST_ADDR/PLEDGEBOOK_REPORT_ADDR are not set: run these tests through "
            "tests/clients/with-services.sh BUILD_DIR - /usr/bin/python3 -m unittest")
    return ingest, report


def self_signed_certificate(directory):
    """A throw-away certificate for localhost/127.0.0.1: (key PEM, cert PEM)."""
    key, cert = os.path.join(directory, "key.pem"), os.path.join(directory, "cert.pem")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(key, "rb") as k, open(cert, "rb") as c:
        return k.read(), c.read()


class FakeReportService(_proto.report_service_pb2_grpc.ReportServiceServicer):
    """Records the metadata of every call; answers what the offline tests need."""

    def __init__(self):
        self.metadata = []

    def _record(self, context):
        self.metadata.append(dict(context.invocation_metadata()))

    def GetDocument(self, request, context):
        self._record(context)
        return _proto.report_service_pb2.GetDocumentResponse(
            document=_proto.records_pb2.Document(name=request.name, document_id="abc"))

    def ListDocuments(self, request, context):
        # Three documents in pages of two: "" → a, b (token "2"); "2" → c.
        self._record(context)
        start = int(request.page_token or 0)
        ids = ["a", "b", "c"][start:start + 2]
        next_token = str(start + 2) if start + 2 < 3 else ""
        return _proto.report_service_pb2.ListDocumentsResponse(
            documents=[_proto.records_pb2.Document(document_id=i) for i in ids], next_page_token=next_token)

    def GetFundingReport(self, request, context):
        # The server's error shape: google.rpc.Status with ErrorInfo and BadRequest.
        self._record(context)
        info, bad = _proto.error_details_pb2.ErrorInfo(reason="INVALID_FILTER", domain="pledgebook.dev"), \
            _proto.error_details_pb2.BadRequest()
        bad.field_violations.add(field="filter", description="unknown field")
        status = _proto.status_pb2.Status(code=grpc.StatusCode.INVALID_ARGUMENT.value[0], message="bad filter")
        for detail in (info, bad):
            packed = any_pb2.Any()
            packed.Pack(detail)
            status.details.append(packed)
        context.set_trailing_metadata((("grpc-status-details-bin", status.SerializeToString()),))
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, "bad filter")


class FakeServer:
    """A FakeReportService on a free loopback port, plaintext or TLS."""

    def __init__(self, tls=None):
        self.service = FakeReportService()
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
        _proto.report_service_pb2_grpc.add_ReportServiceServicer_to_server(self.service, self.server)
        if tls:
            key, cert = tls
            credentials = grpc.ssl_server_credentials(((key, cert),))
            self.port = self.server.add_secure_port("127.0.0.1:0", credentials)
        else:
            self.port = self.server.add_insecure_port("127.0.0.1:0")
        self.server.start()
        self.address = "127.0.0.1:%d" % self.port

    def stop(self):
        self.server.stop(None)


def temp_dir():
    return tempfile.TemporaryDirectory(prefix="pledgebook-client-test-")


__all__ = ["pledgebook", "FACT_SHEET", "FakeServer", "service_addresses", "self_signed_certificate",
           "temp_dir"]
