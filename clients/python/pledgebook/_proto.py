"""The generated protobuf and gRPC modules, made by scripts/gen-clients.sh."""
import os
import sys

_GEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "_gen")
if not os.path.isfile(os.path.join(_GEN, "pledgebook", "v1", "report_service_pb2_grpc.py")):
    raise ImportError(
        "pledgebook: the generated code is missing (%s); run scripts/gen-clients.sh" % _GEN)
# google is a namespace package (python3-protobuf ships google.protobuf), so
# google.rpc and google.type are found in _gen once it is on sys.path.
if _GEN not in sys.path:
    sys.path.append(_GEN)

from google.rpc import error_details_pb2, status_pb2  # noqa: E402
from google.type import date_pb2, money_pb2  # noqa: E402
from pledgebook.v1 import (  # noqa: E402
    ingest_service_pb2, ingest_service_pb2_grpc, records_pb2, report_service_pb2,
    report_service_pb2_grpc)

__all__ = [
    "date_pb2", "error_details_pb2", "ingest_service_pb2", "ingest_service_pb2_grpc",
    "money_pb2", "records_pb2", "report_service_pb2", "report_service_pb2_grpc", "status_pb2",
]
