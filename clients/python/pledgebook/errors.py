"""Typed errors: one exception class per gRPC status code.

Every failed call raises a subclass of :class:`PledgebookError`. The
server's machine-readable details travel in the ``grpc-status-details-bin``
trailer as a ``google.rpc.Status``; they are unpacked here:
``google.rpc.ErrorInfo`` into ``reason``/``domain``/``metadata`` and
``google.rpc.BadRequest`` into ``field_violations`` (``field`` is the first
one's field, e.g. ``"filter"``).
"""
import grpc

from ._proto import error_details_pb2, status_pb2

STATUS_DETAILS_KEY = "grpc-status-details-bin"


class PledgebookError(Exception):
    """A failed call. ``code`` is the grpc.StatusCode, ``message`` the server's text."""

    code = grpc.StatusCode.UNKNOWN

    def __init__(self, message, code=None, reason="", domain="", metadata=None,
                 field_violations=(), status=None):
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.reason = reason
        self.domain = domain
        self.metadata = dict(metadata or {})
        # (field, description) pairs from google.rpc.BadRequest.
        self.field_violations = list(field_violations)
        # The google.rpc.Status the server sent, or None.
        self.status = status

    @property
    def field(self):
        """The request field the server blamed (first BadRequest violation), or None."""
        return self.field_violations[0][0] if self.field_violations else None

    def __str__(self):
        text = "%s: %s" % (self.code.name, self.message)
        if self.field:
            text += " [field %s]" % self.field
        return text


class Cancelled(PledgebookError):
    code = grpc.StatusCode.CANCELLED


class Unknown(PledgebookError):
    code = grpc.StatusCode.UNKNOWN


class InvalidArgument(PledgebookError):
    """A bad request; ``field`` names the offending request field."""
    code = grpc.StatusCode.INVALID_ARGUMENT


class DeadlineExceeded(PledgebookError):
    code = grpc.StatusCode.DEADLINE_EXCEEDED


class NotFound(PledgebookError):
    code = grpc.StatusCode.NOT_FOUND


class AlreadyExists(PledgebookError):
    code = grpc.StatusCode.ALREADY_EXISTS


class PermissionDenied(PledgebookError):
    code = grpc.StatusCode.PERMISSION_DENIED


class ResourceExhausted(PledgebookError):
    code = grpc.StatusCode.RESOURCE_EXHAUSTED


class FailedPrecondition(PledgebookError):
    code = grpc.StatusCode.FAILED_PRECONDITION


class Aborted(PledgebookError):
    code = grpc.StatusCode.ABORTED


class OutOfRange(PledgebookError):
    code = grpc.StatusCode.OUT_OF_RANGE


class Unimplemented(PledgebookError):
    code = grpc.StatusCode.UNIMPLEMENTED


class Internal(PledgebookError):
    code = grpc.StatusCode.INTERNAL


class Unavailable(PledgebookError):
    """The service or its database cannot be reached; safe to retry."""
    code = grpc.StatusCode.UNAVAILABLE


class DataLoss(PledgebookError):
    code = grpc.StatusCode.DATA_LOSS


class Unauthenticated(PledgebookError):
    code = grpc.StatusCode.UNAUTHENTICATED


_BY_CODE = {cls.code: cls for cls in PledgebookError.__subclasses__()}


def error_for_status(code, message, status=None):
    """The typed exception for a status code, message and optional google.rpc.Status."""
    reason, domain, metadata, violations = "", "", {}, []
    if status is not None:
        for detail in status.details:
            if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
                info = error_details_pb2.ErrorInfo()
                detail.Unpack(info)
                reason, domain, metadata = info.reason, info.domain, dict(info.metadata)
            elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
                bad = error_details_pb2.BadRequest()
                detail.Unpack(bad)
                violations += [(v.field, v.description) for v in bad.field_violations]
    cls = _BY_CODE.get(code, PledgebookError)
    return cls(message, code=code, reason=reason, domain=domain, metadata=metadata,
               field_violations=violations, status=status)


def from_rpc_error(error):
    """Translates a grpc.RpcError (a failed call) into a PledgebookError."""
    code = error.code() if hasattr(error, "code") else grpc.StatusCode.UNKNOWN
    message = (error.details() if hasattr(error, "details") else str(error)) or ""
    status = None
    trailers = error.trailing_metadata() if hasattr(error, "trailing_metadata") else None
    for key, value in trailers or ():
        if key == STATUS_DETAILS_KEY:
            try:
                status = status_pb2.Status.FromString(value)
            except Exception:  # a malformed trailer must not hide the error itself
                status = None
    return error_for_status(code, message, status)
