'use strict';
// The Pledgebook client: one object for ingest-service and report-service.
// Unary calls return promises; server streams are async iterators (leaving
// a `for await` loop early cancels the call); failures are typed errors.
const fs = require('node:fs');
const path = require('node:path');
const grpc = require('@grpc/grpc-js');
const { api, root } = require('./proto');
const { fromServiceError, Cancelled } = require('./errors');

const DEFAULT_INGEST_ADDR = '127.0.0.1:50051';
const DEFAULT_REPORT_ADDR = '127.0.0.1:50052';

// Only UNAVAILABLE is retried, by gRPC itself (AIP-194): a call that never
// reached the service. Ingest is safe to repeat (identity by content).
const SERVICE_CONFIG = JSON.stringify({
  methodConfig: [{
    name: [{ service: 'pledgebook.v1.IngestService' }, { service: 'pledgebook.v1.ReportService' }],
    retryPolicy: {
      maxAttempts: 3, initialBackoff: '0.2s', maxBackoff: '2s', backoffMultiplier: 2,
      retryableStatusCodes: ['UNAVAILABLE'],
    },
  }],
});
const CHANNEL_OPTIONS = {
  'grpc.max_receive_message_length': 64 * 1024 * 1024,
  'grpc.max_send_message_length': 64 * 1024 * 1024,
  'grpc.service_config': SERVICE_CONFIG,
  // Long WatchInitiatives streams: find a dead peer (the server allows a ping every 10 s).
  'grpc.keepalive_time_ms': 60000,
};
const CONTENT_TYPES = {
  '.txt': 'text/plain', '.text': 'text/plain', '.md': 'text/markdown', '.markdown': 'text/markdown',
  '.html': 'text/html', '.htm': 'text/html',
};

function readPem(value) {
  if (value === undefined || value === null || Buffer.isBuffer(value)) return value ?? null;
  return fs.readFileSync(value);
}

/**
 * Channel credentials from the `tls` option: falsy (plaintext), true (TLS
 * with the system's roots), a grpc.ChannelCredentials, or
 * { rootCertificates, privateKey, certificateChain } (PEM Buffers or file paths).
 */
function channelCredentials(tls) {
  if (!tls) return null;
  if (tls === true) return grpc.credentials.createSsl();
  if (tls instanceof grpc.ChannelCredentials) return tls;
  if (typeof tls === 'object') {
    const unknown = Object.keys(tls).filter((k) => !['rootCertificates', 'privateKey', 'certificateChain'].includes(k));
    if (unknown.length) throw new TypeError(`unknown tls options: ${unknown.join(', ')}`);
    return grpc.credentials.createSsl(readPem(tls.rootCertificates), readPem(tls.privateKey),
      readPem(tls.certificateChain));
  }
  throw new TypeError('tls must be a boolean, an object or grpc.ChannelCredentials');
}

/** An enum name from 'funder', 'FUNDER', 'FUNDING_DIMENSION_FUNDER' or a number. */
function enumName(enumType, prefix, value, what) {
  const values = root.lookupEnum(enumType).values;
  if (typeof value === 'number') {
    const name = Object.keys(values).find((n) => values[n] === value);
    if (name) return name;
  } else {
    let name = String(value).trim().toUpperCase().replace(/[- ]/g, '_');
    if (!name.startsWith(prefix)) name = prefix + name;
    if (name in values) return name;
  }
  const names = Object.keys(values).filter((n) => !n.endsWith('_UNSPECIFIED'))
    .map((n) => n.slice(prefix.length).toLowerCase());
  throw new TypeError(`unknown ${what} ${JSON.stringify(value)}; one of: ${names.join(', ')}`);
}

function toDate(value) {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (!m) throw new TypeError(`publishedDate ${JSON.stringify(value)} is not YYYY-MM-DD`);
    return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  }
  if (value instanceof Date) {
    return { year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, day: value.getUTCDate() };
  }
  return value; // { year, month, day }
}

/**
 * A DocumentSource from a path (string), a Buffer/Uint8Array, or a ready
 * DocumentSource object ({ content, content_type, ... }). For a path, sourceUri defaults to
 * the path and contentType is guessed from the extension (.txt, .md, .html);
 * otherwise the server sniffs it.
 */
function documentSource(source, { contentType, publisher, title, sourceUri, publishedDate } = {}) {
  let content;
  if (typeof source === 'string') {
    content = fs.readFileSync(source);
    sourceUri ??= source;
    contentType ??= CONTENT_TYPES[path.extname(source).toLowerCase()];
  } else if (source instanceof Uint8Array) {
    content = Buffer.from(source);
  } else if (source && typeof source === 'object' && source.content !== undefined) {
    return source;
  } else {
    throw new TypeError('source must be a path, a Buffer or a DocumentSource');
  }
  return {
    content, content_type: contentType || '', publisher: publisher || '', title: title || '',
    source_uri: sourceUri || '', published_date: toDate(publishedDate),
  };
}

class Client {
  /**
   * @param {object} [options]
   * @param {string} [options.ingestAddr] default $PLEDGEBOOK_INGEST_ADDR or 127.0.0.1:50051
   * @param {string} [options.reportAddr] default $PLEDGEBOOK_REPORT_ADDR or 127.0.0.1:50052
   * @param {string|function(): string} [options.token] sent as `authorization: Bearer …`
   *   (a call credential over TLS, plain metadata on a plaintext channel)
   * @param {boolean|object|grpc.ChannelCredentials} [options.tls] see channelCredentials()
   * @param {number} [options.ingestTimeoutMs=60000] default deadline of ingest calls
   * @param {number} [options.reportTimeoutMs=30000] default deadline of unary report calls
   * @param {object} [options.channelOptions] extra gRPC channel options
   */
  constructor({ ingestAddr, reportAddr, token, tls, ingestTimeoutMs = 60000, reportTimeoutMs = 30000,
    channelOptions = {} } = {}) {
    this.ingestAddr = ingestAddr || process.env.PLEDGEBOOK_INGEST_ADDR || DEFAULT_INGEST_ADDR;
    this.reportAddr = reportAddr || process.env.PLEDGEBOOK_REPORT_ADDR || DEFAULT_REPORT_ADDR;
    this.ingestTimeoutMs = ingestTimeoutMs;
    this.reportTimeoutMs = reportTimeoutMs;
    const tokenValue = () => (typeof token === 'function' ? token() : token);
    let credentials = channelCredentials(tls);
    this._plainToken = null;
    if (credentials && token !== undefined && token !== null) {
      credentials = grpc.credentials.combineChannelCredentials(credentials,
        grpc.credentials.createFromMetadataGenerator((_params, callback) => {
          const metadata = new grpc.Metadata();
          metadata.set('authorization', `Bearer ${tokenValue()}`);
          callback(null, metadata);
        }));
    } else if (token !== undefined && token !== null) {
      // gRPC sends call credentials only over TLS; on plaintext (local
      // development) the token goes as ordinary metadata.
      this._plainToken = tokenValue;
    }
    credentials ||= grpc.credentials.createInsecure();
    const options = { ...CHANNEL_OPTIONS, ...channelOptions };
    this._ingest = new api.IngestService(this.ingestAddr, credentials, options);
    this._report = new api.ReportService(this.reportAddr, credentials, options);
  }

  /** Closes both channels; running calls are cancelled. */
  close() {
    this._ingest.close();
    this._report.close();
  }

  _metadata() {
    const metadata = new grpc.Metadata();
    if (this._plainToken) metadata.set('authorization', `Bearer ${this._plainToken()}`);
    return metadata;
  }

  _options(timeoutMs) {
    return timeoutMs ? { deadline: Date.now() + timeoutMs } : {};
  }

  _unary(stub, method, request, timeoutMs) {
    return new Promise((resolve, reject) => {
      stub[method](request, this._metadata(), this._options(timeoutMs), (error, response) => {
        if (error) reject(fromServiceError(error));
        else resolve(response);
      });
    });
  }

  /** A server stream as an async iterator; `signal` (an AbortSignal) ends it quietly. */
  async* _stream(stub, method, request, timeoutMs, signal) {
    if (signal?.aborted) return;
    const call = stub[method](request, this._metadata(), this._options(timeoutMs));
    const abort = () => call.cancel();
    signal?.addEventListener('abort', abort);
    try {
      for await (const response of call) yield response;
    } catch (error) {
      const typed = fromServiceError(error);
      if (signal?.aborted && typed instanceof Cancelled) return;
      throw typed;
    } finally {
      signal?.removeEventListener('abort', abort);
      call.on('error', () => {}); // the CANCELLED status of an abandoned stream is expected
      call.cancel(); // a no-op once the stream has ended
    }
  }

  // -- ingest-service ------------------------------------------------------

  /**
   * Parses and stores a document (a path, a Buffer, or a DocumentSource).
   * Resolves to the IngestDocumentResponse: document_id, name, created
   * (false when the same content was already stored) and stats.
   */
  ingest(source, { requestId, timeoutMs, ...sourceOptions } = {}) {
    const request = { source: documentSource(source, sourceOptions), request_id: requestId || '' };
    return this._unary(this._ingest, 'IngestDocument', request, timeoutMs || this.ingestTimeoutMs);
  }

  /**
   * Ingests several documents over one client stream; a bad one fails alone.
   * `sources` is an iterable or async iterable of paths, Buffers or
   * DocumentSources. Resolves to the IngestDocumentsResponse (one result per
   * document, in order).
   */
  ingestMany(sources, { publisher, timeoutMs } = {}) {
    return new Promise((resolve, reject) => {
      const call = this._ingest.IngestDocuments(this._metadata(), this._options(timeoutMs || this.ingestTimeoutMs),
        (error, response) => (error ? reject(fromServiceError(error)) : resolve(response)));
      (async () => {
        for await (const source of sources) {
          // Respect flow control: wait for 'drain' when the buffer is full.
          if (!call.write({ source: documentSource(source, { publisher }) })) {
            await new Promise((drained) => call.once('drain', drained));
          }
        }
        call.end();
      })().catch((error) => {
        call.cancel();
        reject(error);
      });
    });
  }

  /** Dry run: resolves to the parsed Document with all its records; nothing is stored. */
  async parse(source, { timeoutMs, ...sourceOptions } = {}) {
    const response = await this._unary(this._ingest, 'ParseDocument',
      { source: documentSource(source, sourceOptions) }, timeoutMs || this.ingestTimeoutMs);
    return response.document;
  }

  // -- report-service ------------------------------------------------------

  /** A stored Document by id or "documents/{id}"; rejects with NotFound. view: "basic" or "full". */
  async getDocument(name, { view, timeoutMs } = {}) {
    const request = { name };
    if (view !== undefined) request.view = enumName('pledgebook.v1.DocumentView', 'DOCUMENT_VIEW_', view, 'view');
    const response = await this._unary(this._report, 'GetDocument', request, timeoutMs || this.reportTimeoutMs);
    return response.document;
  }

  /** Every stored document matching an AIP-160 filter, newest first; pages are fetched as iteration reaches them. */
  async* listDocuments({ filter = '', pageSize = 0, timeoutMs } = {}) {
    let pageToken = '';
    do {
      const page = await this._unary(this._report, 'ListDocuments',
        { filter, page_size: pageSize, page_token: pageToken },
        timeoutMs || this.reportTimeoutMs);
      yield* page.documents;
      pageToken = page.next_page_token;
    } while (pageToken);
  }

  /**
   * Initiatives matching an AIP-160 filter, streamed. orderBy: e.g.
   * "document_id, index" (default) or "ingest_sequence desc"; limit: 0 for all.
   * A bad filter rejects the first iteration with InvalidArgument.
   */
  async* initiatives({ filter = '', orderBy = '', limit = 0, timeoutMs, signal } = {}) {
    for await (const batch of this._stream(this._report, 'StreamInitiatives',
      { filter, order_by: orderBy, limit: String(limit) }, timeoutMs, signal)) {
      yield* batch.initiatives;
    }
  }

  /**
   * Money totals grouped by dimensions (the GetFundingReportResponse).
   * groupBy: names such as 'funder', 'section', 'fiscal_year'; joint:
   * 'group' (the default: a joint amount is its own "EPA + CONAGUA" row) or
   * 'split_evenly'; roles: AmountRole names to count (default: itemized only).
   */
  fundingReport({ groupBy = [], filter = '', joint, roles = [], topN = 0, timeoutMs } = {}) {
    const request = {
      filter, top_n: topN,
      group_by: groupBy.map((g) => enumName('pledgebook.v1.FundingDimension', 'FUNDING_DIMENSION_', g, 'dimension')),
      roles: roles.map((r) => enumName('pledgebook.v1.AmountRole', 'AMOUNT_ROLE_', r, 'role')),
    };
    if (joint !== undefined) {
      request.joint_funding = enumName('pledgebook.v1.JointFunding', 'JOINT_FUNDING_', joint, 'joint funding');
    }
    return this._unary(this._report, 'GetFundingReport', request, timeoutMs || this.reportTimeoutMs);
  }

  /**
   * Initiatives as they are ingested: yields { initiative, cursor }. Pass the
   * last cursor as resumeCursor to continue after it; empty starts from now.
   * Runs until the loop is left, `signal` aborts, or timeoutMs passes
   * (then DeadlineExceeded).
   */
  watch({ filter = '', resumeCursor = '', timeoutMs, signal } = {}) {
    return this._stream(this._report, 'WatchInitiatives', { filter, resume_cursor: resumeCursor }, timeoutMs, signal);
  }
}

module.exports = { Client, documentSource, channelCredentials, DEFAULT_INGEST_ADDR, DEFAULT_REPORT_ADDR };
