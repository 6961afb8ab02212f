"""Python client for the Pledgebook v1 gRPC API.

    import pledgebook

    with pledgebook.Client("127.0.0.1:50051", "127.0.0.1:50052") as client:
        document = client.ingest("factsheet.txt", publisher="The White House")
        for initiative in client.initiatives(filter="has_funding = true"):
            print(initiative.text)

The messages are the generated protobuf classes (``pledgebook.v1.records_pb2``
and friends, made by ``scripts/gen-clients.sh``); docs/api/ describes them.
Failed calls raise a subclass of :class:`PledgebookError`.
"""
import os as _os

# The generated code (clients/python/pledgebook/_gen/, git-ignored) imports its
# modules as pledgebook.v1.* and google.rpc.* / google.type.*: this package's
# path covers pledgebook.v1, and _gen joins sys.path for the google.*
# namespace package (see _proto.py).
__path__.append(_os.path.join(_os.path.dirname(_os.path.abspath(__file__)), "_gen", "pledgebook"))

from ._proto import (  # noqa: E402
    date_pb2, error_details_pb2, ingest_service_pb2, money_pb2, records_pb2, report_service_pb2, status_pb2)
from .client import Client  # noqa: E402
from .errors import (  # noqa: E402
    Aborted, AlreadyExists, Cancelled, DataLoss, DeadlineExceeded, FailedPrecondition, Internal,
    InvalidArgument, NotFound, OutOfRange, PermissionDenied, PledgebookError, ResourceExhausted,
    Unauthenticated, Unavailable, Unimplemented, Unknown)
from .money import format_money, money_to_decimal, row_label  # noqa: E402

__all__ = [
    "Client", "PledgebookError", "Aborted", "AlreadyExists", "Cancelled", "DataLoss",
    "DeadlineExceeded", "FailedPrecondition", "Internal", "InvalidArgument", "NotFound",
    "OutOfRange", "PermissionDenied", "ResourceExhausted", "Unauthenticated", "Unavailable",
    "Unimplemented", "Unknown", "format_money", "money_to_decimal", "row_label",
    "records_pb2", "ingest_service_pb2", "report_service_pb2", "money_pb2", "date_pb2",
    "status_pb2", "error_details_pb2",
]
