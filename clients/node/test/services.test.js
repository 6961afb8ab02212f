'use strict';
// The client against the real ingest-service and report-service (started by
// tests/clients/with-services.sh on a fresh database).
const test = require('node:test');
const assert = require('node:assert/strict');
const { setTimeout: sleep } = require('node:timers/promises');
const { pledgebook, FACT_SHEET, serviceAddresses } = require('./support');

// A small second document: two prose sentences with amounts, two initiatives.
const SECOND_DOCUMENT = Buffer.from('Watch test\n\nThe United States will provide $5 million to Mexico for clean water.\n\n'
  + 'Canada will provide $3 million to Mexico for roads.\n');

async function collect(iterable) {
  const items = [];
  for await (const item of iterable) items.push(item);
  return items;
}

test('the client against the real services', async (t) => {
  const client = new pledgebook.Client(serviceAddresses());
  t.after(() => client.close());
  const factSheet = await client.ingest(FACT_SHEET, { publisher: 'The White House' });
  const onlyFactSheet = `document_id = "${factSheet.document_id}"`;

  await t.test('ingest is idempotent', async () => {
    assert.match(factSheet.document_id, /^[0-9a-f]{32}$/);
    assert.equal(factSheet.name, `documents/${factSheet.document_id}`);
    assert.equal(factSheet.stats.initiative_count, 20);
    const again = await client.ingest(FACT_SHEET);
    assert.equal(again.created, false);
    assert.equal(again.document_id, factSheet.document_id);
  });

  await t.test('parse stores nothing and finds every record', async () => {
    const document = await client.parse(FACT_SHEET);
    assert.equal(document.sections.length, 4);
    const initiatives = document.sections.flatMap((s) => s.initiatives);
    assert.equal(initiatives.length, 20);
    assert.equal(initiatives.flatMap((i) => i.money).length, 4);
  });

  await t.test('stream initiatives', async () => {
    const initiatives = await collect(client.initiatives({ filter: onlyFactSheet }));
    assert.equal(initiatives.length, 20);
    assert.deepEqual(initiatives.map((i) => i.index), [...Array(20).keys()]);
    const funded = await collect(client.initiatives({ filter: `${onlyFactSheet} AND has_funding = true` }));
    assert.equal(funded.flatMap((i) => i.money).length, 4);
    assert.equal((await collect(client.initiatives({ filter: onlyFactSheet, limit: 3 }))).length, 3);
  });

  await t.test('leaving a stream early cancels it', async () => {
    let first;
    for await (const initiative of client.initiatives({ filter: onlyFactSheet })) {
      first = initiative;
      break;
    }
    assert.equal(first.index, 0);
  });

  await t.test('funding report', async () => {
    const report = await client.fundingReport({ groupBy: ['funder'], filter: onlyFactSheet });
    assert.equal(report.totals.length, 1);
    const { total } = report.totals[0];
    assert.deepEqual([total.currency_code, total.units, total.nanos], ['USD', '5374038000', 0]);
    assert.equal(pledgebook.formatMoney(total), 'USD 5,374,038,000');
    const rows = Object.fromEntries(report.rows.map((r) => [pledgebook.rowLabel(r), pledgebook.moneyToString(r.total)]));
    assert.equal(rows['EPA + CONAGUA'], '474000000');
    assert.equal(Object.values(rows).reduce((sum, v) => sum + BigInt(v), 0n), 5374038000n);
  });

  await t.test('funding report, joint amounts split evenly', async () => {
    const report = await client.fundingReport({ groupBy: ['funder'], filter: onlyFactSheet, joint: 'split_evenly' });
    assert.ok(!report.rows.map(pledgebook.rowLabel).includes('EPA + CONAGUA'));
    assert.equal(report.totals[0].total.units, '5374038000');
  });

  await t.test('get and list documents', async () => {
    const document = await client.getDocument(factSheet.name);
    assert.equal(document.document_id, factSheet.document_id);
    assert.equal(document.publisher, 'The White House');
    assert.equal(document.stats.initiative_count, 20);
    const second = await client.ingest(Buffer.concat([SECOND_DOCUMENT, Buffer.from('\nListed by node.\n')]));
    const ids = (await collect(client.listDocuments({ pageSize: 1 }))).map((d) => d.document_id);
    assert.ok(ids.includes(factSheet.document_id));
    assert.ok(ids.includes(second.document_id));
    assert.equal(new Set(ids).size, ids.length);
  });

  await t.test('an unknown document is NotFound', async () => {
    await assert.rejects(client.getDocument('0'.repeat(32)), (error) => {
      assert.ok(error instanceof pledgebook.NotFound);
      assert.equal(error.codeName, 'NOT_FOUND');
      return true;
    });
  });

  await t.test('a bad filter is InvalidArgument naming the field', async () => {
    await assert.rejects(collect(client.initiatives({ filter: 'no_such_field = 1' })), (error) => {
      assert.ok(error instanceof pledgebook.InvalidArgument);
      assert.equal(error.field, 'filter');
      assert.match(error.message, /no_such_field/);
      return true;
    });
    await assert.rejects(client.fundingReport({ groupBy: ['funder'], filter: 'has_funding = ' }), (error) => {
      assert.ok(error instanceof pledgebook.InvalidArgument);
      assert.equal(error.field, 'filter');
      return true;
    });
  });

  await t.test('ingestMany fails a bad document alone', async () => {
    const response = await client.ingestMany([FACT_SHEET, Buffer.from([0xff, 0xfe, 0x20])]);
    assert.equal(response.results.length, 2);
    assert.equal(response.results[0].response.document_id, factSheet.document_id);
    assert.equal(response.results[1].status.code, 3); // INVALID_ARGUMENT
    assert.deepEqual([response.existing_count, response.failed_count], [1, 1]);
  });

  await t.test('watch, then resume from a cursor', async () => {
    const controller = new AbortController();
    const firstEvent = (async () => {
      for await (const event of client.watch({ timeoutMs: 30000, signal: controller.signal })) return event;
      throw new Error('watch ended without an event');
    })();
    await sleep(1000); // the watch starts "from now" when the server receives it
    const second = await client.ingest(SECOND_DOCUMENT);
    const first = await firstEvent;
    controller.abort();
    assert.equal(first.initiative.document_id, second.document_id);
    assert.equal(first.initiative.index, 0);
    for await (const resumed of client.watch({ resumeCursor: first.cursor, timeoutMs: 30000 })) {
      assert.equal(resumed.initiative.document_id, second.document_id);
      assert.equal(resumed.initiative.index, 1);
      break;
    }
  });

  await t.test('aborting a watch ends it quietly', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const events = await collect(client.watch({ filter: 'publisher = "nobody"', signal: controller.signal }));
    assert.deepEqual(events, []);
  });

  await t.test('a bad resume cursor is InvalidArgument', async () => {
    await assert.rejects(collect(client.watch({ resumeCursor: 'not-a-cursor', timeoutMs: 10000 })), (error) => {
      assert.ok(error instanceof pledgebook.InvalidArgument);
      assert.equal(error.field, 'resume_cursor');
      return true;
    });
  });
});
