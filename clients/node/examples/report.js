#!/usr/bin/env node
'use strict';
// Ingests documents and prints the funding report by funder.
//
//   node clients/node/examples/report.js tests/fixtures/hled-2022-factsheet.txt
//
// The services' addresses come from $PLEDGEBOOK_INGEST_ADDR and
// $PLEDGEBOOK_REPORT_ADDR (defaults 127.0.0.1:50051 and 127.0.0.1:50052).
const pledgebook = require('../src/index');

async function main(paths) {
  const client = new pledgebook.Client();
  try {
    for (const path of paths) {
      const result = await client.ingest(path);
      console.log(`${result.created ? 'created' : 'already stored'} ${result.name} `
        + `(${result.stats.initiative_count} initiatives)`);
    }
    let funded = 0;
    for await (const _ of client.initiatives({ filter: 'has_funding = true' })) funded += 1;
    console.log(`initiatives with funding: ${funded}`);
    const report = await client.fundingReport({ groupBy: ['funder'] });
    const line = (label, money, count) =>
      console.log(`${label.padEnd(32)} ${pledgebook.formatMoney(money).padStart(24)} ${String(count).padStart(4)}`);
    for (const row of report.rows) line(pledgebook.rowLabel(row), row.total, row.count);
    for (const total of report.totals) line('Grand total', total.total, total.count);
  } finally {
    client.close();
  }
}

main(process.argv.slice(2)).catch((error) => {
  if (error instanceof pledgebook.Unavailable) console.error(`cannot reach Pledgebook: ${error.message}`);
  else if (error instanceof pledgebook.InvalidArgument) console.error(`bad request (${error.field}): ${error.message}`);
  else console.error(error);
  process.exit(1);
});
