"""The Pledgebook client: one object for ingest-service and report-service."""
import contextlib
import datetime
import json
import os

import grpc

from . import errors
from ._proto import (
    date_pb2, ingest_service_pb2, ingest_service_pb2_grpc, records_pb2, report_service_pb2,
    report_service_pb2_grpc)

DEFAULT_INGEST_ADDR = "127.0.0.1:50051"
DEFAULT_REPORT_ADDR = "127.0.0.1:50052"

# Only UNAVAILABLE is retried, and by gRPC itself (AIP-194): a call that
# never reached the service. Ingest is safe to repeat (identity by content).
_SERVICE_CONFIG = json.dumps({
    "methodConfig": [{
        "name": [{"service": "pledgebook.v1.IngestService"},
                 {"service": "pledgebook.v1.ReportService"}],
        "retryPolicy": {
            "maxAttempts": 3, "initialBackoff": "0.2s", "maxBackoff": "2s",
            "backoffMultiplier": 2, "retryableStatusCodes": ["UNAVAILABLE"],
        },
    }],
})
_CHANNEL_OPTIONS = [
    ("grpc.max_receive_message_length", 64 * 1024 * 1024),
    ("grpc.max_send_message_length", 64 * 1024 * 1024),
    ("grpc.enable_retries", 1),
    ("grpc.service_config", _SERVICE_CONFIG),
    # Long WatchInitiatives streams: find a dead peer (the server allows a
    # ping every 10 s).
    ("grpc.keepalive_time_ms", 60_000),
]
_CONTENT_TYPES = {".txt": "text/plain", ".text": "text/plain", ".md": "text/markdown",
                  ".markdown": "text/markdown", ".html": "text/html", ".htm": "text/html"}


def _read(value):
    """Bytes as they are; a str or path names a file to read (PEM files)."""
    if value is None or isinstance(value, bytes):
        return value
    with open(value, "rb") as f:
        return f.read()


def _channel_credentials(tls):
    """None for plaintext; grpc.ChannelCredentials for TLS.

    tls: None/False (plaintext), True (TLS with the system's roots), a
    grpc.ChannelCredentials, or a dict with root_certificates, private_key and
    certificate_chain (PEM bytes or file paths; the last two for mTLS).
    """
    if tls is None or tls is False:
        return None
    if tls is True:
        return grpc.ssl_channel_credentials()
    if isinstance(tls, grpc.ChannelCredentials):
        return tls
    if isinstance(tls, dict):
        unknown = set(tls) - {"root_certificates", "private_key", "certificate_chain"}
        if unknown:
            raise ValueError("unknown tls options: %s" % ", ".join(sorted(unknown)))
        return grpc.ssl_channel_credentials(**{k: _read(v) for k, v in tls.items()})
    raise TypeError("tls must be None, a bool, a dict or grpc.ChannelCredentials")


class _BearerToken(grpc.AuthMetadataPlugin):
    """Adds 'authorization: Bearer …' to every call on a TLS channel."""

    def __init__(self, token):
        self._token = token

    def __call__(self, context, callback):
        token = self._token() if callable(self._token) else self._token
        callback((("authorization", "Bearer " + token),), None)


def _enum_value(enum_type, prefix, value, what):
    """An enum number from a number or a name: 'funder', 'FUNDER' or 'FUNDING_DIMENSION_FUNDER'."""
    if isinstance(value, int):
        return value
    name = str(value).strip().upper().replace("-", "_").replace(" ", "_")
    if not name.startswith(prefix):
        name = prefix + name
    try:
        return enum_type.Value(name)
    except ValueError:
        names = [n[len(prefix):].lower() for n in enum_type.keys() if not n.endswith("_UNSPECIFIED")]
        raise ValueError("unknown %s %r; one of: %s" % (what, value, ", ".join(names))) from None


def _date(value):
    if value is None or isinstance(value, date_pb2.Date):
        return value
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    if isinstance(value, datetime.date):
        return date_pb2.Date(year=value.year, month=value.month, day=value.day)
    raise TypeError("published_date must be a datetime.date, 'YYYY-MM-DD' or google.type.Date")


def document_source(source, content_type=None, publisher=None, title=None, source_uri=None,
                    published_date=None):
    """A DocumentSource from a path (str or os.PathLike), bytes, or a binary file object.

    For a path, source_uri defaults to the path and content_type is guessed
    from the extension (.txt, .md, .html); otherwise the server sniffs it.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        content = bytes(source)
    elif isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        with open(path, "rb") as f:
            content = f.read()
        if source_uri is None:
            source_uri = path
        if content_type is None:
            content_type = _CONTENT_TYPES.get(os.path.splitext(path)[1].lower())
    elif hasattr(source, "read"):
        content = source.read()
        if isinstance(content, str):
            content = content.encode("utf-8")
    else:
        raise TypeError("source must be a path, bytes or a binary file object")
    return records_pb2.DocumentSource(
        content=content, content_type=content_type or "", publisher=publisher or "",
        title=title or "", source_uri=source_uri or "", published_date=_date(published_date))


class Client:
    """A connection to ingest-service and report-service.

    Addresses default to $PLEDGEBOOK_INGEST_ADDR / $PLEDGEBOOK_REPORT_ADDR,
    then 127.0.0.1:50051 / 127.0.0.1:50052. ``token`` (a string, or a
    callable returning one) is sent as ``authorization: Bearer …``: as a call
    credential over TLS, as plain metadata on a plaintext channel. ``tls``:
    see :func:`_channel_credentials`. Use it as a context manager, or call
    :meth:`close`. Calls raise :class:`pledgebook.PledgebookError` subclasses.
    """

    def __init__(self, ingest_addr=None, report_addr=None, token=None, tls=None,
                 ingest_timeout=60.0, report_timeout=30.0, options=()):
        self.ingest_addr = ingest_addr or os.environ.get("PLEDGEBOOK_INGEST_ADDR", DEFAULT_INGEST_ADDR)
        self.report_addr = report_addr or os.environ.get("PLEDGEBOOK_REPORT_ADDR", DEFAULT_REPORT_ADDR)
        self.ingest_timeout = ingest_timeout
        self.report_timeout = report_timeout
        credentials = _channel_credentials(tls)
        self._token_metadata = None
        if token is not None and credentials is not None:
            credentials = grpc.composite_channel_credentials(
                credentials, grpc.metadata_call_credentials(_BearerToken(token)))
        elif token is not None:
            # gRPC sends call credentials only over TLS; on plaintext (local
            # development) the token goes as ordinary metadata.
            self._token = token
            self._token_metadata = self._plain_token_metadata
        channel_options = _CHANNEL_OPTIONS + list(options)

        def open_channel(addr):
            if credentials is None:
                return grpc.insecure_channel(addr, options=channel_options)
            return grpc.secure_channel(addr, credentials, options=channel_options)

        self._ingest_channel = open_channel(self.ingest_addr)
        self._report_channel = (self._ingest_channel if self.report_addr == self.ingest_addr
                                else open_channel(self.report_addr))
        self._ingest = ingest_service_pb2_grpc.IngestServiceStub(self._ingest_channel)
        self._report = report_service_pb2_grpc.ReportServiceStub(self._report_channel)

    # -- lifecycle -----------------------------------------------------------

    def close(self):
        """Closes both channels; running calls are cancelled."""
        self._ingest_channel.close()
        if self._report_channel is not self._ingest_channel:
            self._report_channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # -- plumbing ------------------------------------------------------------

    def _plain_token_metadata(self):
        token = self._token() if callable(self._token) else self._token
        return (("authorization", "Bearer " + token),)

    def _metadata(self):
        return self._token_metadata() if self._token_metadata else None

    def _unary(self, method, request, timeout):
        try:
            return method(request, timeout=timeout, metadata=self._metadata())
        except grpc.RpcError as e:
            raise errors.from_rpc_error(e) from None

    def _stream(self, method, request, timeout):
        """Iterates a server stream; stopping early (break, close) cancels the call."""
        call = method(request, timeout=timeout, metadata=self._metadata())
        try:
            for response in call:
                yield response
        except grpc.RpcError as e:
            raise errors.from_rpc_error(e) from None
        finally:
            call.cancel()  # a no-op once the stream has ended

    # -- ingest-service ------------------------------------------------------

    def ingest(self, source, content_type=None, publisher=None, title=None, source_uri=None,
               published_date=None, request_id=None, timeout=None):
        """Parses and stores a document (a path, bytes or a binary file object).

        Returns the IngestDocumentResponse: document_id, name, created (False
        when the same content was already stored) and stats.
        """
        request = ingest_service_pb2.IngestDocumentRequest(
            source=document_source(source, content_type, publisher, title, source_uri, published_date),
            request_id=request_id or "")
        return self._unary(self._ingest.IngestDocument, request, timeout or self.ingest_timeout)

    def ingest_many(self, sources, publisher=None, timeout=None):
        """Ingests several documents over one stream; a bad one fails alone.

        ``sources`` are paths, bytes, file objects or ready DocumentSource
        messages. Returns the IngestDocumentsResponse with one result per
        document, in order.
        """
        def requests():
            for source in sources:
                if not isinstance(source, records_pb2.DocumentSource):
                    source = document_source(source, publisher=publisher)
                yield ingest_service_pb2.IngestDocumentsRequest(source=source)
        return self._unary(self._ingest.IngestDocuments, requests(), timeout or self.ingest_timeout)

    def parse(self, source, content_type=None, publisher=None, title=None, source_uri=None,
              published_date=None, timeout=None):
        """Dry run: the parsed Document with all its records; nothing is stored."""
        request = ingest_service_pb2.ParseDocumentRequest(
            source=document_source(source, content_type, publisher, title, source_uri, published_date))
        return self._unary(self._ingest.ParseDocument, request, timeout or self.ingest_timeout).document

    # -- report-service ------------------------------------------------------

    def get_document(self, name, view=None, timeout=None):
        """A stored Document by id or "documents/{id}"; raises NotFound.

        view: "basic" (default) or "full" (adds the normalized text).
        """
        request = report_service_pb2.GetDocumentRequest(name=name)
        if view is not None:
            request.view = _enum_value(report_service_pb2.DocumentView, "DOCUMENT_VIEW_", view, "view")
        return self._unary(self._report.GetDocument, request, timeout or self.report_timeout).document

    def list_documents(self, filter="", page_size=None, timeout=None):
        """Every stored document matching an AIP-160 filter, newest first.

        A generator: pages (of page_size, server default 50) are fetched as
        the iteration reaches them.
        """
        token = ""
        while True:
            request = report_service_pb2.ListDocumentsRequest(
                filter=filter, page_size=page_size or 0, page_token=token)
            page = self._unary(self._report.ListDocuments, request, timeout or self.report_timeout)
            yield from page.documents
            token = page.next_page_token
            if not token:
                return

    def initiatives(self, filter="", order_by="", limit=0, timeout=None):
        """Initiatives matching an AIP-160 filter, streamed (a generator of Initiative).

        order_by: e.g. "document_id, index" (default) or "ingest_sequence desc";
        limit: 0 for all. Errors (InvalidArgument for a bad filter) are
        raised when iteration starts.
        """
        request = report_service_pb2.StreamInitiativesRequest(filter=filter, order_by=order_by, limit=limit)
        with contextlib.closing(self._stream(self._report.StreamInitiatives, request, timeout)) as batches:
            for batch in batches:
                yield from batch.initiatives

    def funding_report(self, group_by=(), filter="", joint=None, roles=(), top_n=0, timeout=None):
        """Money totals grouped by dimensions (a GetFundingReportResponse).

        group_by: names such as "funder", "section", "fiscal_year" (or
        FundingDimension numbers); joint: "group" (the default: a joint
        amount is its own "EPA + CONAGUA" row) or "split_evenly"; roles:
        AmountRole names to count (default: itemized amounts only).
        """
        request = report_service_pb2.GetFundingReportRequest(
            filter=filter, top_n=top_n,
            group_by=[_enum_value(report_service_pb2.FundingDimension, "FUNDING_DIMENSION_", g, "dimension")
                      for g in group_by],
            roles=[_enum_value(records_pb2.AmountRole, "AMOUNT_ROLE_", r, "role") for r in roles])
        if joint is not None:
            request.joint_funding = _enum_value(report_service_pb2.JointFunding, "JOINT_FUNDING_", joint,
                                                "joint funding")
        return self._unary(self._report.GetFundingReport, request, timeout or self.report_timeout)

    def watch(self, filter="", resume_cursor="", timeout=None):
        """Initiatives as they are ingested (a generator of WatchInitiativesResponse).

        Each item has ``initiative`` and ``cursor``; pass the last cursor as
        resume_cursor to continue after it. An empty cursor starts from now.
        Runs until the caller stops iterating or the timeout (seconds) passes
        (then DeadlineExceeded).
        """
        request = report_service_pb2.WatchInitiativesRequest(filter=filter, resume_cursor=resume_cursor)
        yield from self._stream(self._report.WatchInitiatives, request, timeout)
