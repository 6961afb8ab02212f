'use strict';
// Typed errors: one class per gRPC status code. The server's details travel
// in the `grpc-status-details-bin` trailer as a google.rpc.Status; its
// google.rpc.ErrorInfo becomes reason/domain/metadata and its
// google.rpc.BadRequest becomes fieldViolations (`field` is the first one's).
const { status: Status } = require('@grpc/grpc-js');
const { root } = require('./proto');

const STATUS_DETAILS_KEY = 'grpc-status-details-bin';
const StatusProto = root.lookupType('google.rpc.Status');
const DETAIL_TYPES = {
  'google.rpc.ErrorInfo': root.lookupType('google.rpc.ErrorInfo'),
  'google.rpc.BadRequest': root.lookupType('google.rpc.BadRequest'),
};
const CODE_NAMES = Object.fromEntries(Object.entries(Status).map(([name, code]) => [code, name]));

class PledgebookError extends Error {
  constructor(message, { code = Status.UNKNOWN, reason = '', domain = '', metadata = {},
    fieldViolations = [], cause } = {}) {
    super(message, cause ? { cause } : undefined);
    this.name = this.constructor.name;
    /** The gRPC status code (a number; codeName is its name). */
    this.code = code;
    this.codeName = CODE_NAMES[code] || String(code);
    /** ErrorInfo: UPPER_SNAKE_CASE reason, its domain, and its metadata. */
    this.reason = reason;
    this.domain = domain;
    this.metadata = metadata;
    /** BadRequest violations: [{ field, description }]. */
    this.fieldViolations = fieldViolations;
  }

  /** The request field the server blamed (first BadRequest violation), or null. */
  get field() {
    return this.fieldViolations.length ? this.fieldViolations[0].field : null;
  }
}

const classes = {};
for (const [className, codeName] of [
  ['Cancelled', 'CANCELLED'], ['Unknown', 'UNKNOWN'], ['InvalidArgument', 'INVALID_ARGUMENT'],
  ['DeadlineExceeded', 'DEADLINE_EXCEEDED'], ['NotFound', 'NOT_FOUND'], ['AlreadyExists', 'ALREADY_EXISTS'],
  ['PermissionDenied', 'PERMISSION_DENIED'], ['ResourceExhausted', 'RESOURCE_EXHAUSTED'],
  ['FailedPrecondition', 'FAILED_PRECONDITION'], ['Aborted', 'ABORTED'], ['OutOfRange', 'OUT_OF_RANGE'],
  ['Unimplemented', 'UNIMPLEMENTED'], ['Internal', 'INTERNAL'], ['Unavailable', 'UNAVAILABLE'],
  ['DataLoss', 'DATA_LOSS'], ['Unauthenticated', 'UNAUTHENTICATED'],
]) {
  // A named class per code, so that `instanceof NotFound` and stack traces read well.
  classes[className] = { [className]: class extends PledgebookError {} }[className];
  classes[className].code = Status[codeName];
}
const BY_CODE = Object.fromEntries(Object.values(classes).map((cls) => [cls.code, cls]));

/** Decodes a serialized google.rpc.Status into { reason, domain, metadata, fieldViolations }. */
function decodeStatusDetails(buffer) {
  const out = { reason: '', domain: '', metadata: {}, fieldViolations: [] };
  const status = StatusProto.decode(buffer);
  for (const detail of status.details || []) {
    const typeName = String(detail.type_url || detail.typeUrl || '').split('/').pop();
    const type = DETAIL_TYPES[typeName];
    if (!type) continue;
    const message = type.toObject(type.decode(detail.value), { defaults: true });
    if (typeName === 'google.rpc.ErrorInfo') {
      Object.assign(out, { reason: message.reason, domain: message.domain, metadata: message.metadata || {} });
    } else {
      for (const v of message.field_violations || []) {
        out.fieldViolations.push({ field: v.field, description: v.description });
      }
    }
  }
  return out;
}

/** The typed error for a @grpc/grpc-js ServiceError (or any other error). */
function fromServiceError(error) {
  if (error instanceof PledgebookError) return error;
  if (typeof error?.code !== 'number') return error; // not a gRPC status: leave it alone
  let details = {};
  const trailer = error.metadata?.get?.(STATUS_DETAILS_KEY)?.[0];
  if (trailer) {
    try {
      details = decodeStatusDetails(Buffer.from(trailer));
    } catch {
      details = {}; // a malformed trailer must not hide the error itself
    }
  }
  const Cls = BY_CODE[error.code] || PledgebookError;
  return new Cls(error.details || error.message, { code: error.code, ...details, cause: error });
}

module.exports = { PledgebookError, ...classes, fromServiceError, decodeStatusDetails, STATUS_DETAILS_KEY };
