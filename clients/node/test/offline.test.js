'use strict';
// Client behaviour that needs no real service: metadata, TLS, paging, error details.
const test = require('node:test');
const assert = require('node:assert/strict');
const { pledgebook, selfSignedCertificate, startFakeServer } = require('./support');

test('plaintext client against a fake report-service', async (t) => {
  const fake = await startFakeServer();
  t.after(() => fake.stop());
  const client = (options = {}) => {
    const c = new pledgebook.Client({ ingestAddr: fake.address, reportAddr: fake.address, ...options });
    t.after(() => c.close());
    return c;
  };
  const last = () => fake.metadata[fake.metadata.length - 1];

  await t.test('the token is sent as bearer metadata', async () => {
    const document = await client({ token: 's3cret' }).getDocument('documents/abc');
    assert.equal(document.name, 'documents/abc');
    assert.equal(last().authorization, 'Bearer s3cret');
  });

  await t.test('a token function is asked on every call', async () => {
    const tokens = ['one', 'two'];
    const c = client({ token: () => tokens.shift() });
    await c.getDocument('abc');
    assert.equal(last().authorization, 'Bearer one');
    await c.getDocument('abc');
    assert.equal(last().authorization, 'Bearer two');
  });

  await t.test('no token, no authorization', async () => {
    await client().getDocument('abc');
    assert.equal(last().authorization, undefined);
  });

  await t.test('listDocuments follows page tokens', async () => {
    const ids = [];
    for await (const d of client().listDocuments({ pageSize: 2 })) ids.push(d.document_id);
    assert.deepEqual(ids, ['a', 'b', 'c']);
  });

  await t.test('error details are unpacked', async () => {
    await assert.rejects(client().fundingReport({ groupBy: ['funder'], filter: 'nope = 1' }), (error) => {
      assert.ok(error instanceof pledgebook.InvalidArgument);
      assert.ok(error instanceof pledgebook.PledgebookError);
      assert.equal(error.codeName, 'INVALID_ARGUMENT');
      assert.equal(error.field, 'filter');
      assert.equal(error.reason, 'INVALID_FILTER');
      assert.equal(error.domain, 'pledgebook.dev');
      assert.deepEqual(error.fieldViolations, [{ field: 'filter', description: 'unknown field' }]);
      return true;
    });
  });

  await t.test('unknown enum names are refused before any call', async () => {
    const calls = fake.metadata.length;
    assert.throws(() => client().fundingReport({ groupBy: ['donor'] }), /unknown dimension "donor".*funder/);
    assert.equal(fake.metadata.length, calls);
  });

  await t.test('an unreachable service is Unavailable', async () => {
    const c = client({ ingestAddr: '127.0.0.1:1', reportAddr: '127.0.0.1:1' });
    await assert.rejects(c.getDocument('abc', { timeoutMs: 5000 }), pledgebook.Unavailable);
  });
});

test('over TLS the token travels as a call credential', async (t) => {
  const tls = selfSignedCertificate();
  const fake = await startFakeServer({ tls });
  t.after(() => fake.stop());
  const trusted = new pledgebook.Client({
    ingestAddr: fake.address, reportAddr: fake.address, token: 't0k', tls: { rootCertificates: tls.cert },
    // Verify the certificate's DNS name (TLS server names are not IP addresses).
    channelOptions: { 'grpc.ssl_target_name_override': 'localhost' },
  });
  t.after(() => trusted.close());
  assert.equal((await trusted.getDocument('abc')).document_id, 'abc');
  assert.equal(fake.metadata[fake.metadata.length - 1].authorization, 'Bearer t0k');
  // A client that does not trust the certificate cannot connect.
  const untrusting = new pledgebook.Client({
    ingestAddr: fake.address, reportAddr: fake.address, tls: true,
    channelOptions: { 'grpc.ssl_target_name_override': 'localhost' },
  });
  t.after(() => untrusting.close());
  await assert.rejects(untrusting.getDocument('abc', { timeoutMs: 5000 }), pledgebook.Unavailable);
});

test('money is exact', () => {
  assert.equal(pledgebook.formatMoney({ currency_code: 'USD', units: '5374038000', nanos: 0 }), 'USD 5,374,038,000');
  assert.equal(pledgebook.moneyToString({ currency_code: 'USD', units: '-1', nanos: -500000000 }), '-1.5');
  assert.equal(pledgebook.formatMoney({ currency_code: 'EUR', units: '1234', nanos: 500000000 }), 'EUR 1,234.50');
  assert.equal(pledgebook.moneyToString({ currency_code: 'USD', units: '9007199254740993', nanos: 1 }),
    '9007199254740993.000000001');
});
